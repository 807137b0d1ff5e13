// Test metrics with group bootstrap intervals; see report.h.
#include "report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "csv.h"
#include "domain.h"
#include "postprocess.h"

namespace rl {
namespace {

struct Scored {
    std::vector<std::vector<float>> probs;  // per image, per label
    std::vector<std::vector<int>> targets;  // per image, 0/1 per label
    std::vector<std::vector<size_t>> group_members;
    std::vector<std::string> sources;  // per image
};

// The images of one source, with their groups.
Scored only_source(const Scored& s, const std::string& source) {
    Scored out;
    for (const std::vector<size_t>& members : s.group_members) {
        std::vector<size_t> kept;
        for (size_t i : members) {
            if (s.sources[i] != source) continue;
            kept.push_back(out.probs.size());
            out.probs.push_back(s.probs[i]), out.targets.push_back(s.targets[i]), out.sources.push_back(source);
        }
        if (!kept.empty()) out.group_members.push_back(kept);
    }
    return out;
}

// Images of the resampled groups.
std::vector<size_t> expand(const Scored& s, const std::vector<size_t>& groups) {
    std::vector<size_t> images;
    for (size_t g : groups) images.insert(images.end(), s.group_members[g].begin(), s.group_members[g].end());
    return images;
}

std::vector<float> label_scores(const Scored& s, const std::vector<size_t>& images, size_t label) {
    std::vector<float> out;
    for (size_t i : images) out.push_back(s.probs[i][label]);
    return out;
}

std::vector<int> label_targets(const Scored& s, const std::vector<size_t>& images, size_t label) {
    std::vector<int> out;
    for (size_t i : images) out.push_back(s.targets[i][label]);
    return out;
}

std::vector<RocPoint> roc_thinned(std::vector<RocPoint> points) {
    if (points.size() <= kRocMaxPoints) return points;
    std::vector<RocPoint> kept;
    for (size_t k = 0; k < kRocMaxPoints; ++k) kept.push_back(points[k * (points.size() - 1) / (kRocMaxPoints - 1)]);
    return kept;
}

// The metric over images, with its interval over resampled groups.
MetricValue metric_make(const Scored& s, const std::string& name, const std::string& label,
                        const std::function<double(const std::vector<size_t>&)>& over_images, double confidence = 0.95) {
    const Interval ci = bootstrap_ci(
        s.group_members.size(), [&](const std::vector<size_t>& groups) { return over_images(expand(s, groups)); },
        kBootstrapResamples, kBootstrapSeed, confidence);
    return {name, label, ci.value, ci.low, ci.high, {}};
}

}  // namespace

Status report_truth_write(const std::string& path, const ModelCard& card, const std::vector<Sample>& samples) {
    std::ofstream out(path, std::ios::trunc);
    if (!out) return Status::failure(path + ": cannot write");
    out << "path,group,source";
    for (const std::string& l : card.labels) out << "," << csv_field(l);
    out << "\n";
    for (const Sample& s : samples) {
        out << csv_field(s.path) << "," << csv_field(s.group) << "," << csv_field(s.source);
        for (size_t k = 0; k < card.labels.size(); ++k)
            out << "," << (card.output_kind == OutputKind::sigmoid ? s.targets[k] : int(s.targets[0] == int(k)));
        out << "\n";
    }
    return out ? Status::success() : Status::failure(path + ": write failed");
}

Status report_predictions_write(const std::string& path, const ModelCard& card, const std::vector<Sample>& samples,
                               const std::vector<float>& probs, const std::vector<double>& domain_distances) {
    std::ofstream out(path, std::ios::trunc);
    if (!out) return Status::failure(path + ": cannot write");
    const size_t k = card.labels.size();
    out << "path";
    for (const std::string& l : card.labels) out << "," << csv_field(l);
    out << ",decision,in_domain,note,error\n";
    char number[32];
    for (size_t i = 0; i < samples.size(); ++i) {
        const std::vector<float> row(probs.begin() + std::ptrdiff_t(i * k), probs.begin() + std::ptrdiff_t((i + 1) * k));
        out << csv_field(samples[i].path);
        for (float p : row) std::snprintf(number, sizeof number, "%.9g", double(p)), out << "," << number;  // float32 round-trips
        // The dataset's own images: no cheap check, only the distance.
        const Answer a = postprocess_answer(card, row, domain_judge(card, "", domain_distances[i]));
        out << "," << csv_field(a.decision) << "," << (a.in_domain ? "yes" : "no") << "," << csv_field(a.note) << ",\n";
    }
    return out ? Status::success() : Status::failure(path + ": write failed");
}

Status report_folds_write(const std::string& path, const std::vector<Sample>& samples, const std::vector<int>& folds) {
    std::ofstream out(path, std::ios::trunc);
    if (!out) return Status::failure(path + ": cannot write");
    out << "path,fold\n";
    for (size_t i = 0; i < samples.size(); ++i) out << csv_field(samples[i].path) << "," << folds[i] << "\n";
    return out ? Status::success() : Status::failure(path + ": write failed");
}

Status report_evaluate(const std::string& truth_csv, const std::string& predictions_csv, ModelCard* card, std::string* summary) {
    const size_t k = card->labels.size();
    std::ifstream truth(truth_csv), predictions(predictions_csv);
    if (!truth) return Status::failure(truth_csv + ": cannot open");
    if (!predictions) return Status::failure(predictions_csv + ": cannot open");

    std::string line;
    std::getline(predictions, line);
    const std::vector<std::string> header = csv_parse_line(line);
    if (header.size() != k + 5 || header[0] != "path" || header[k + 2] != "in_domain")
        return Status::failure(predictions_csv + ": expected columns path, <labels>, decision, in_domain, note, error");
    for (size_t j = 0; j < k; ++j)
        if (header[j + 1] != card->labels[j]) return Status::failure(predictions_csv + ": column " + std::to_string(j + 2) + " should be '" + card->labels[j] + "'");
    std::map<std::string, std::vector<float>> predicted;
    int out_of_domain = 0;  // the figures below still count these images: the model's probabilities, answered or not
    for (int row = 2; std::getline(predictions, line); ++row) {
        const std::vector<std::string> f = csv_parse_line(line);
        if (f.size() != k + 5) return Status::failure(predictions_csv + ":" + std::to_string(row) + ": wrong number of columns");
        if (!f[k + 4].empty()) return Status::failure(predictions_csv + ":" + std::to_string(row) + ": " + f[0] + " failed: " + f[k + 4]);
        if (f[k + 2] != "yes" && f[k + 2] != "no")
            return Status::failure(predictions_csv + ":" + std::to_string(row) + ": in_domain '" + f[k + 2] + "' is not yes or no");
        out_of_domain += f[k + 2] == "no";
        std::vector<float> p;
        for (size_t j = 0; j < k; ++j) {
            // strtod, not stof: stof refuses a probability like 4e-40, subnormal as a float.
            char* end = nullptr;
            const double v = std::strtod(f[j + 1].c_str(), &end);
            if (f[j + 1].empty() || *end != '\0' || !(v >= 0.0 && v <= 1.0))
                return Status::failure(predictions_csv + ":" + std::to_string(row) + ": " + card->labels[j] + " '" + f[j + 1] +
                                       "' is not a probability");
            p.push_back(float(v));
        }
        predicted[f[0]] = p;
    }

    Scored s;
    std::map<std::string, size_t> group_index;
    std::getline(truth, line);
    const std::vector<std::string> truth_header = csv_parse_line(line);
    if (truth_header.size() != k + 3 || truth_header[1] != "group" || truth_header[2] != "source")
        return Status::failure(truth_csv + ": expected columns path, group, source, <labels>");
    while (std::getline(truth, line)) {
        const std::vector<std::string> f = csv_parse_line(line);
        if (f.size() != k + 3) return Status::failure(truth_csv + ": wrong number of columns");
        const auto p = predicted.find(f[0]);
        if (p == predicted.end()) return Status::failure(predictions_csv + ": no prediction for " + f[0]);
        const auto [g, fresh] = group_index.emplace(f[1], group_index.size());
        if (fresh) s.group_members.emplace_back();
        s.group_members[g->second].push_back(s.probs.size());
        s.probs.push_back(p->second);
        s.sources.push_back(f[2]);
        std::vector<int> t;
        for (size_t j = 0; j < k; ++j) t.push_back(f[j + 3] == "1");
        s.targets.push_back(t);
    }
    if (s.probs.empty()) return Status::failure(truth_csv + ": no test images");

    // Test figures are measured again; the recipe's out-of-fold ones stay.
    card->metrics.erase(std::remove_if(card->metrics.begin(), card->metrics.end(),
                                       [](const MetricValue& m) { return m.name.rfind(kOutOfFoldPrefix, 0) != 0; }),
                        card->metrics.end());
    card->roc.clear();
    const auto auc_of = [](const Scored& sc, size_t label) {
        return [&sc, label](const std::vector<size_t>& im) { return roc_auc(label_scores(sc, im, label), label_targets(sc, im, label)); };
    };
    const auto at_threshold = [&](const Scored& sc, size_t label, double (Confusion::*rate)() const) {
        const double t = postprocess_threshold(*card, card->labels[label]);
        return [&sc, label, t, rate](const std::vector<size_t>& im) {
            return (confusion_at(label_scores(sc, im, label), label_targets(sc, im, label), t).*rate)();
        };
    };
    // Calibration: confidence in the decided class against being right.
    const auto ece = [&](const std::vector<size_t>& im) {
        std::vector<float> confidence;
        std::vector<int> correct;
        for (size_t i : im) {
            if (card->output_kind == OutputKind::sigmoid) {
                for (size_t j = 0; j < k; ++j) {
                    const float p = s.probs[i][j];
                    confidence.push_back(std::max(p, 1.0f - p));
                    correct.push_back((p >= 0.5f) == bool(s.targets[i][j]));
                }
                continue;
            }
            const size_t top = size_t(std::max_element(s.probs[i].begin(), s.probs[i].end()) - s.probs[i].begin());
            confidence.push_back(s.probs[i][top]);
            correct.push_back(s.targets[i][top]);
        }
        return expected_calibration_error(confidence, correct, 10);
    };
    const auto decided_right = [&](const std::vector<size_t>& im) {
        double right = 0;
        for (size_t i : im) {
            const std::string d = postprocess_decision(*card, s.probs[i]);
            std::string truth_text;
            for (size_t j = 0; j < k; ++j)
                if (s.targets[i][j]) truth_text += (truth_text.empty() ? "" : ";") + card->labels[j];
            if (card->output_kind == OutputKind::sigmoid && truth_text.empty()) truth_text = "none";
            right += d == truth_text;
        }
        return im.empty() ? NAN : right / double(im.size());
    };

    std::vector<std::string> unscorable;
    std::vector<MetricValue> per_source;
    if (card->output_kind == OutputKind::softmax && k == 2) {
        const std::string& pos = card->labels[1];
        card->metrics.push_back(metric_make(s, "roc_auc", pos, auc_of(s, 1)));
        card->metrics.push_back(metric_make(s, "pr_auc", pos, [&](const std::vector<size_t>& im) {
            return pr_auc(label_scores(s, im, 1), label_targets(s, im, 1));
        }));
        card->metrics.push_back(metric_make(s, "accuracy", "", decided_right));
        card->metrics.push_back(metric_make(s, "balanced_error_rate", "", at_threshold(s, 1, &Confusion::balanced_error_rate)));
        card->metrics.push_back(metric_make(s, "sensitivity", pos, at_threshold(s, 1, &Confusion::sensitivity)));
        card->metrics.push_back(metric_make(s, "specificity", pos, at_threshold(s, 1, &Confusion::specificity)));
        card->metrics.push_back(metric_make(s, "ppv", pos, at_threshold(s, 1, &Confusion::ppv)));
        card->metrics.push_back(metric_make(s, "npv", pos, at_threshold(s, 1, &Confusion::npv)));
        // A model trained on several sources: the same figures on each source's test images alone, after the pooled ones.
        std::vector<std::string> sources = s.sources;
        std::sort(sources.begin(), sources.end());
        sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
        for (size_t i = 0; sources.size() > 1 && i < sources.size(); ++i) {
            const Scored one = only_source(s, sources[i]);
            for (MetricValue m : {metric_make(one, "roc_auc", pos, auc_of(one, 1)),
                                  metric_make(one, "balanced_error_rate", "", at_threshold(one, 1, &Confusion::balanced_error_rate)),
                                  metric_make(one, "sensitivity", pos, at_threshold(one, 1, &Confusion::sensitivity)),
                                  metric_make(one, "specificity", pos, at_threshold(one, 1, &Confusion::specificity))}) {
                m.source = sources[i];
                per_source.push_back(m);
            }
        }
    } else {
        card->metrics.push_back(metric_make(s, card->output_kind == OutputKind::sigmoid ? "exact_match" : "accuracy", "", decided_right));
    }
    std::vector<size_t> all_images;
    for (size_t i = 0; i < s.probs.size(); ++i) all_images.push_back(i);
    if (!(card->output_kind == OutputKind::softmax && k == 2)) {
        for (size_t j = 0; j < k; ++j) {
            if (std::isnan(auc_of(s, j)(all_images))) { unscorable.push_back(card->labels[j]); continue; }
            card->metrics.push_back(metric_make(s, "roc_auc", card->labels[j], auc_of(s, j)));
            if (card->output_kind == OutputKind::sigmoid) {
                card->metrics.push_back(metric_make(s, "sensitivity", card->labels[j], at_threshold(s, j, &Confusion::sensitivity)));
                card->metrics.push_back(metric_make(s, "specificity", card->labels[j], at_threshold(s, j, &Confusion::specificity)));
            }
            card->roc[card->labels[j]] = roc_thinned(roc_curve(label_scores(s, all_images, j), label_targets(s, all_images, j)));
        }
        card->metrics.push_back(metric_make(s, "mean_roc_auc", "", [&](const std::vector<size_t>& im) {
            std::vector<double> aucs;
            for (size_t j = 0; j < k; ++j) aucs.push_back(auc_of(s, j)(im));
            return mean_defined(aucs);
        }));
    } else {
        card->roc[card->labels[1]] = roc_thinned(roc_curve(label_scores(s, all_images, 1), label_targets(s, all_images, 1)));
    }
    // Binned ECE is biased upward, and more so in a resample (duplicated
    // groups add noise that |accuracy - confidence| cannot cancel), so a
    // well-calibrated model's percentile interval can lie wholly above its
    // own value. Report the one-sided bound instead: [0, 95th percentile],
    // which can only overstate the error.
    MetricValue calibration = metric_make(s, "expected_calibration_error", "", ece, 0.90);
    calibration.ci_low = 0.0;
    card->metrics.push_back(calibration);
    card->metrics.insert(card->metrics.end(), per_source.begin(), per_source.end());
    if (!unscorable.empty()) {
        std::string names;
        for (const std::string& u : unscorable) names += (names.empty() ? "" : ", ") + u;
        card->limitations.push_back("The test split has no positive (or no negative) image for: " + names + "; no test AUC is reported for them.");
    }

    std::ostringstream out;
    out << card->name << ": " << s.probs.size() << " images in " << s.group_members.size() << " groups (" << truth_csv << "), "
        << out_of_domain << " judged out of domain\n";
    for (const MetricValue& m : card->metrics) {
        char row[160];
        const std::string label = m.label + (m.source.empty() ? "" : " (" + m.source + ")");
        std::snprintf(row, sizeof row, "  %-28s %-20s %.4f  [%.4f, %.4f]\n", m.name.c_str(), label.c_str(), m.value, m.ci_low, m.ci_high);
        out << row;
    }
    *summary = out.str();
    return Status::success();
}

}  // namespace rl
