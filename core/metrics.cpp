// Metric implementations: sort once, sweep thresholds, group ties.
#include "metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace rl {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(long long num, long long den) { return den > 0 ? double(num) / double(den) : kNaN; }

// Cumulative counts at each distinct score, scores descending.
struct Sweep {
    std::vector<double> thresholds;
    std::vector<long long> tp, fp;  // called positive at >= threshold
    long long positives = 0, negatives = 0;
};

Sweep sweep_build(const std::vector<float>& scores, const std::vector<int>& labels) {
    assert(scores.size() == labels.size());
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    Sweep s;
    long long tp = 0, fp = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        (labels[order[i]] ? tp : fp) += 1;
        const bool last_of_tie = i + 1 == order.size() || scores[order[i + 1]] != scores[order[i]];
        if (!last_of_tie) continue;
        s.thresholds.push_back(scores[order[i]]);
        s.tp.push_back(tp);
        s.fp.push_back(fp);
    }
    s.positives = tp;
    s.negatives = fp;
    return s;
}

std::vector<float> column(const std::vector<float>& matrix, int cols, int col) {
    std::vector<float> out(matrix.size() / size_t(cols));
    for (size_t i = 0; i < out.size(); ++i) out[i] = matrix[i * size_t(cols) + size_t(col)];
    return out;
}

}  // namespace

double quantile_sorted(const std::vector<double>& sorted, double q) {
    const double pos = q * double(sorted.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
}

double Confusion::sensitivity() const { return ratio(tp, tp + fn); }
double Confusion::specificity() const { return ratio(tn, tn + fp); }
double Confusion::ppv() const { return ratio(tp, tp + fp); }
double Confusion::npv() const { return ratio(tn, tn + fn); }
double Confusion::accuracy() const { return ratio(tp + tn, tp + tn + fp + fn); }
double Confusion::balanced_error_rate() const { return 1.0 - (sensitivity() + specificity()) / 2.0; }

Confusion confusion_at(const std::vector<float>& scores, const std::vector<int>& labels, double threshold) {
    assert(scores.size() == labels.size());
    Confusion c;
    for (size_t i = 0; i < scores.size(); ++i) {
        const bool called = scores[i] >= threshold;
        if (labels[i]) (called ? c.tp : c.fn) += 1;
        else (called ? c.fp : c.tn) += 1;
    }
    return c;
}

double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels) {
    const Sweep s = sweep_build(scores, labels);
    if (s.positives == 0 || s.negatives == 0) return kNaN;
    // Trapezoids between successive points = Mann-Whitney U with ties as 1/2.
    double area = 0.0;
    long long prev_tp = 0, prev_fp = 0;
    for (size_t k = 0; k < s.thresholds.size(); ++k) {
        area += double(s.fp[k] - prev_fp) * double(s.tp[k] + prev_tp) / 2.0;
        prev_tp = s.tp[k];
        prev_fp = s.fp[k];
    }
    return area / (double(s.positives) * double(s.negatives));
}

double pr_auc(const std::vector<float>& scores, const std::vector<int>& labels) {
    const Sweep s = sweep_build(scores, labels);
    if (s.positives == 0) return kNaN;
    double ap = 0.0;
    long long prev_tp = 0;
    for (size_t k = 0; k < s.thresholds.size(); ++k) {
        ap += double(s.tp[k] - prev_tp) / double(s.positives) * double(s.tp[k]) / double(s.tp[k] + s.fp[k]);
        prev_tp = s.tp[k];
    }
    return ap;
}

std::vector<RocPoint> roc_curve(const std::vector<float>& scores, const std::vector<int>& labels) {
    const Sweep s = sweep_build(scores, labels);
    std::vector<RocPoint> points;
    if (s.positives == 0 || s.negatives == 0) return points;
    for (size_t k = 0; k < s.thresholds.size(); ++k)
        points.push_back({s.thresholds[k], double(s.fp[k]) / double(s.negatives), double(s.tp[k]) / double(s.positives)});
    return points;
}

RocPoint roc_point_at(const std::vector<RocPoint>& points, double threshold) {
    RocPoint at{threshold, 0.0, 0.0};
    for (const RocPoint& p : points) {
        if (p.threshold < threshold) break;
        at = p;
    }
    return at;
}

RocPoint roc_point_nearest(const std::vector<RocPoint>& points, double fpr, double tpr) {
    const auto distance = [&](const RocPoint& p) { return std::hypot(p.fpr - fpr, p.tpr - tpr); };
    return *std::min_element(points.begin(), points.end(), [&](const RocPoint& a, const RocPoint& b) { return distance(a) < distance(b); });
}

double threshold_youden(const std::vector<float>& scores, const std::vector<int>& labels) {
    const std::vector<RocPoint> points = roc_curve(scores, labels);
    double best = kNaN, best_j = -2.0;
    for (const RocPoint& p : points)
        if (p.tpr - p.fpr > best_j) best_j = p.tpr - p.fpr, best = p.threshold;
    return best;
}

double threshold_for_sensitivity(const std::vector<float>& scores, const std::vector<int>& labels, double min_sensitivity) {
    for (const RocPoint& p : roc_curve(scores, labels))
        if (p.tpr >= min_sensitivity) return p.threshold;
    return kNaN;
}

double expected_calibration_error(const std::vector<float>& confidence, const std::vector<int>& correct, int bin_count) {
    assert(confidence.size() == correct.size() && bin_count > 0);
    if (confidence.empty()) return kNaN;
    std::vector<double> conf_sum(size_t(bin_count), 0.0), correct_sum(size_t(bin_count), 0.0);
    std::vector<long long> count(size_t(bin_count), 0);
    for (size_t i = 0; i < confidence.size(); ++i) {
        const int b = std::clamp(int(confidence[i] * float(bin_count)), 0, bin_count - 1);  // 1.0 joins the top bin
        conf_sum[size_t(b)] += confidence[i];
        correct_sum[size_t(b)] += correct[i] ? 1.0 : 0.0;
        count[size_t(b)] += 1;
    }
    double ece = 0.0;
    for (size_t b = 0; b < size_t(bin_count); ++b)
        if (count[b] > 0) ece += std::fabs(correct_sum[b] - conf_sum[b]) / double(confidence.size());
    return ece;
}

double multiclass_accuracy(const std::vector<float>& probs, const std::vector<int>& labels, int class_count) {
    assert(probs.size() == labels.size() * size_t(class_count));
    if (labels.empty()) return kNaN;
    long long hits = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        const float* row = probs.data() + i * size_t(class_count);
        hits += int(std::max_element(row, row + class_count) - row) == labels[i];
    }
    return double(hits) / double(labels.size());
}

std::vector<double> multiclass_roc_auc_ovr(const std::vector<float>& probs, const std::vector<int>& labels, int class_count) {
    std::vector<double> auc;
    for (int k = 0; k < class_count; ++k) {
        std::vector<int> is_k(labels.size());
        for (size_t i = 0; i < labels.size(); ++i) is_k[i] = labels[i] == k;
        auc.push_back(roc_auc(column(probs, class_count, k), is_k));
    }
    return auc;
}

std::vector<double> multilabel_roc_auc(const std::vector<float>& probs, const std::vector<int>& targets, int label_count) {
    assert(probs.size() == targets.size());
    std::vector<double> auc;
    for (int k = 0; k < label_count; ++k) {
        std::vector<int> target_k(targets.size() / size_t(label_count));
        for (size_t i = 0; i < target_k.size(); ++i) target_k[i] = targets[i * size_t(label_count) + size_t(k)];
        auc.push_back(roc_auc(column(probs, label_count, k), target_k));
    }
    return auc;
}

double mean_defined(const std::vector<double>& values) {
    double sum = 0.0;
    int n = 0;
    for (double v : values)
        if (!std::isnan(v)) sum += v, ++n;
    return n > 0 ? sum / n : kNaN;
}

Interval bootstrap_ci(size_t n, const std::function<double(const std::vector<size_t>&)>& statistic, int resample_count,
                      uint64_t seed, double confidence) {
    std::vector<size_t> indices(n);
    std::iota(indices.begin(), indices.end(), 0);
    Interval out{statistic(indices), kNaN, kNaN};
    // mt19937_64's sequence is fixed by the standard; uniform_int_distribution
    // is not, so map with a modulo (bias < n / 2^64, negligible).
    std::mt19937_64 rng(seed);
    std::vector<double> values;
    values.reserve(size_t(resample_count));
    for (int r = 0; r < resample_count && n > 0; ++r) {
        for (size_t& i : indices) i = size_t(rng() % n);
        const double v = statistic(indices);
        if (!std::isnan(v)) values.push_back(v);
    }
    if (values.empty()) return out;
    std::sort(values.begin(), values.end());
    const double tail = (1.0 - confidence) / 2.0;
    out.low = quantile_sorted(values, tail);
    out.high = quantile_sorted(values, 1.0 - tail);
    return out;
}

}  // namespace rl
