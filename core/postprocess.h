// From a model's calibrated probabilities to the decision shown to people,
// at the operating points in its card.
#pragma once
#include <string>
#include <vector>

#include "domain.h"
#include "model_card.h"

namespace rl {

// probs: [labels] for one image. Sigmoid: the labels at or above their
// thresholds joined by ';' ("none" if no label is). Two-class softmax: the
// positive label when its probability reaches its threshold, else the
// other. Multi-class softmax: the most probable label.
std::string postprocess_decision(const ModelCard& card, const std::vector<float>& probs);

// What a model says about one image, for people and for the CSV.
struct Answer {
    std::string decision;    // postprocess_decision's, or "abstain"
    bool in_domain = true;
    std::string note;        // why there is no answer, or which labels have none; empty when none
};
constexpr const char* kAbstain = "abstain";

// No decision outside the model's domain, nor where its held-out figures are
// at chance (reliability.h); a multi-label model decides only the labels the
// rule keeps.
Answer postprocess_answer(const ModelCard& card, const std::vector<float>& probs, const DomainVerdict& domain);

// The operating threshold for `label`, or -1 if the card has none.
double postprocess_threshold(const ModelCard& card, const std::string& label);

}  // namespace rl
