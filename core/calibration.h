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

// The T in [0.05, 20] minimising calibration_nll (golden-section on log T).
double calibration_fit_temperature(const std::vector<float>& logits, const std::vector<int>& targets, int label_count,
                                   OutputKind kind);

}  // namespace rl
