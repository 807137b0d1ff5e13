// From a model's calibrated probabilities to the decision shown to people,
// at the operating points in its card.
#pragma once
#include <string>
#include <vector>

#include "model_card.h"

namespace rl {

// probs: [labels] for one image. Sigmoid: the labels at or above their
// thresholds joined by ';' ("none" if no label is). Two-class softmax: the
// positive label when its probability reaches its threshold, else the
// other. Multi-class softmax: the most probable label.
std::string postprocess_decision(const ModelCard& card, const std::vector<float>& probs);

// The operating threshold for `label`, or -1 if the card has none.
double postprocess_threshold(const ModelCard& card, const std::string& label);

}  // namespace rl
