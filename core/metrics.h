// Classification metrics for evaluation and model cards. Binary functions take
// scores (higher = more positive) and 0/1 labels of equal length; a sample is
// called positive when score >= threshold. Undefined values are NaN.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace rl {

struct Confusion {
    long long tp = 0, fp = 0, tn = 0, fn = 0;

    double sensitivity() const;  // recall, true positive rate
    double specificity() const;  // true negative rate
    double ppv() const;          // precision
    double npv() const;
    double accuracy() const;
    double balanced_error_rate() const;  // 1 - (sensitivity + specificity) / 2
};

struct RocPoint {
    double threshold = 0.0;
    double fpr = 0.0;
    double tpr = 0.0;
};

Confusion confusion_at(const std::vector<float>& scores, const std::vector<int>& labels, double threshold);

// Area under the ROC curve; tied scores count one half (Mann-Whitney U).
double roc_auc(const std::vector<float>& scores, const std::vector<int>& labels);
// Average precision: sum over distinct thresholds of (R_k - R_k-1) * P_k.
double pr_auc(const std::vector<float>& scores, const std::vector<int>& labels);
// One point per distinct score, thresholds descending; (0, 0) is implied.
std::vector<RocPoint> roc_curve(const std::vector<float>& scores, const std::vector<int>& labels);
// The curve's point for calling "score >= threshold" positive: the one with
// the lowest threshold at or above it, else (0, 0). points: thresholds descending.
RocPoint roc_point_at(const std::vector<RocPoint>& points, double threshold);
// The curve's point nearest (fpr, tpr), e.g. a click on a plot of it: its
// threshold, given to roc_point_at, returns that point. points: not empty.
RocPoint roc_point_nearest(const std::vector<RocPoint>& points, double fpr, double tpr);

// Threshold maximising sensitivity + specificity - 1 (the highest on ties).
double threshold_youden(const std::vector<float>& scores, const std::vector<int>& labels);
// Highest threshold whose sensitivity reaches min_sensitivity: of all points
// that catch enough positives, the one that calls the fewest negatives positive.
double threshold_for_sensitivity(const std::vector<float>& scores, const std::vector<int>& labels, double min_sensitivity);

// Expected calibration error (Guo et al. 2017): equal-width confidence bins,
// sum of bin weight * |accuracy - mean confidence|.
double expected_calibration_error(const std::vector<float>& confidence, const std::vector<int>& correct, int bin_count);

// Multi-class: probs [N, K] row-major, labels in 0..K-1.
double multiclass_accuracy(const std::vector<float>& probs, const std::vector<int>& labels, int class_count);
std::vector<double> multiclass_roc_auc_ovr(const std::vector<float>& probs, const std::vector<int>& labels, int class_count);

// Multi-label: probs and targets [N, K] row-major, targets 0/1.
std::vector<double> multilabel_roc_auc(const std::vector<float>& probs, const std::vector<int>& targets, int label_count);

// Mean of the values that are not NaN (a macro average); NaN if none.
double mean_defined(const std::vector<double>& values);

struct Interval {
    double value = 0.0;  // statistic on the full sample
    double low = 0.0;
    double high = 0.0;
};

// The q-quantile (0..1) of sorted, non-empty values: linear interpolation between order statistics (numpy's default).
double quantile_sorted(const std::vector<double>& sorted, double q);

// Percentile bootstrap: resamples indices 0..n-1 with replacement. Resamples
// where the statistic is NaN (e.g. one class only) are skipped. The same seed
// gives the same interval on every platform.
Interval bootstrap_ci(size_t n, const std::function<double(const std::vector<size_t>&)>& statistic, int resample_count,
                      uint64_t seed, double confidence = 0.95);

}  // namespace rl
