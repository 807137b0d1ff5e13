// Threshold choice on validation; see operating_point.h.
#include "operating_point.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "metrics.h"

namespace rl {
namespace {

double threshold_bagged_youden(const std::vector<float>& score, const std::vector<int>& truth, const std::vector<std::string>& groups,
                               uint64_t seed) {
    std::map<std::string, std::vector<size_t>> members;
    for (size_t i = 0; i < groups.size(); ++i) members[groups[i]].push_back(i);
    std::vector<std::vector<size_t>> by_group;
    for (auto& [g, rows] : members) by_group.push_back(rows);
    std::vector<double> thresholds;
    std::mt19937_64 rng(seed);
    for (int r = 0; r < kThresholdResamples; ++r) {
        std::vector<float> s;
        std::vector<int> t;
        for (size_t k = 0; k < by_group.size(); ++k)
            for (size_t i : by_group[size_t(rng() % by_group.size())]) s.push_back(score[i]), t.push_back(truth[i]);
        const double youden = threshold_youden(s, t);
        if (!std::isnan(youden)) thresholds.push_back(youden);
    }
    if (thresholds.empty()) return NAN;
    std::nth_element(thresholds.begin(), thresholds.begin() + long(thresholds.size() / 2), thresholds.end());
    return thresholds[thresholds.size() / 2];
}

// Youden's threshold is one validation image's score, a knife edge: LibTorch
// and ONNX Runtime, 1e-7 apart, put that image on either side of it
// (brain_mri's yes/y1254.jpg sat there). Halfway down to the next lower
// score makes the same calls on validation, with a margin.
double halfway_below(const std::vector<float>& score, double t) {
    double below = -INFINITY;
    for (float s : score)
        if (s < t) below = std::max(below, double(s));
    return std::isinf(below) ? t : (t + below) / 2;
}

std::string list_text(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

OperatingPointChoice operating_points_choose(const ModelCard& card, const std::vector<float>& probs, const std::vector<int>& targets,
                                             const std::vector<std::string>& groups, const std::vector<double>& train_prevalence,
                                             uint64_t seed) {
    const size_t k = card.labels.size(), rows = probs.size() / k;
    std::vector<std::string> by_prevalence, unlearned;
    OperatingPointChoice out;
    for (const std::string& label : model_card_decision_labels(card)) {
        const size_t j = size_t(std::find(card.labels.begin(), card.labels.end(), label) - card.labels.begin());
        std::vector<float> score;
        std::vector<int> truth;
        for (size_t i = 0; i < rows; ++i) {
            score.push_back(probs[i * k + j]);
            truth.push_back(card.output_kind == OutputKind::sigmoid ? targets[i * k + j] : int(targets[i] == int(j)));
        }
        const long long positives = std::count(truth.begin(), truth.end(), 1), negatives = (long long)rows - positives;
        double t = NAN;
        if (positives >= kThresholdMinCases && negatives >= kThresholdMinCases)
            t = halfway_below(score, threshold_bagged_youden(score, truth, groups, seed));
        if (std::isnan(t) && train_prevalence[j] > 0.0) {
            t = train_prevalence[j];
            by_prevalence.push_back(label + " (" + std::to_string(positives) + " positives)");
        } else if (std::isnan(t)) {
            t = 1.0;
            unlearned.push_back(label);
        }
        const Confusion c = confusion_at(score, truth, t);
        out.points.push_back({label, t, c.sensitivity(), c.specificity()});
    }
    if (!by_prevalence.empty())
        out.limitations.push_back("Too few validation cases to choose a threshold for " + list_text(by_prevalence) +
                                  "; their threshold is the training prevalence instead.");
    if (!unlearned.empty())
        out.limitations.push_back("No training image has " + list_text(unlearned) +
                                  " (the patient split put them all in validation or test): the model cannot detect it, "
                                  "and its threshold of 1 never calls it.");
    return out;
}

}  // namespace rl
