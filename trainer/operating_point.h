// Each decision label's operating threshold, chosen on validation: the
// median of Youden's J thresholds over resampled validation groups (J alone
// jumps to the edge of a plateau on small sets), moved halfway down to the
// next lower validation score so that no validation image sits on it. Where
// validation holds too few positives or negatives, the training prevalence
// instead: on calibrated probabilities, p >= prevalence maximises balanced
// accuracy in expectation.
// A label with no training positive is never called (threshold 1).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model_card.h"

namespace rl {

constexpr int kThresholdResamples = 500;  // bootstrap resamples of validation groups per threshold
constexpr int kThresholdMinCases = 10;    // fewer validation positives (or negatives): Youden is noise

struct OperatingPointChoice {
    std::vector<OperatingPoint> points;    // sensitivity and specificity measured on validation
    std::vector<std::string> limitations;  // for the card, where a fallback was used
};

// probs: validation [N, K] calibrated; targets as calibration_nll takes them
// (softmax: a class index a row; sigmoid: 0/1 per label); groups: [N];
// train_prevalence: [K], the share of training images with each label.
OperatingPointChoice operating_points_choose(const ModelCard& card, const std::vector<float>& probs, const std::vector<int>& targets,
                                             const std::vector<std::string>& groups, const std::vector<double>& train_prevalence,
                                             uint64_t seed);

}  // namespace rl
