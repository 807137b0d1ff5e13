// From logits to calibrated probabilities: softmax or sigmoid of logits / T,
// with the temperature T fitted on validation by minimising the negative
// log-likelihood (temperature scaling, Guo et al. 2017).
#pragma once
#include <vector>

namespace rl {

enum class OutputKind { softmax, sigmoid };

// logits: [N, K] row-major. Returns [N, K].
std::vector<float> calibration_probabilities(const std::vector<float>& logits, int label_count, OutputKind kind,
                                             double temperature);

// Mean negative log-likelihood of the targets: for softmax one class index a
// row ([N]); for sigmoid 0/1 per label ([N, K], averaged over labels too).
double calibration_nll(const std::vector<float>& logits, const std::vector<int>& targets, int label_count, OutputKind kind,
                       double temperature);

// True when no row ranks another label above its target (softmax), or puts a
// label on the wrong side of 0 (sigmoid). The NLL then only falls as T
// shrinks: it has no minimum, and T cannot be fitted.
bool calibration_separated(const std::vector<float>& logits, const std::vector<int>& targets, int label_count, OutputKind kind);

// The T in [0.05, 20] minimising calibration_nll (golden-section on log T);
// 1, the network's own scale, when calibration_separated: the search would
// only find its bound, and sharpen every answer to certainty.
double calibration_fit_temperature(const std::vector<float>& logits, const std::vector<int>& targets, int label_count,
                                   OutputKind kind);

}  // namespace rl
