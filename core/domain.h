// Whether a model may answer on an image: cheap checks on what it was
// given, then the model's own domain distance (one more output of its ONNX
// graph, fitted by the trainer: trainer/domain_fit.h) against the threshold
// in its card. Outside its domain a model gives no answer.
#pragma once
#include <string>
#include <vector>

#include "model_card.h"

namespace rl {

constexpr int kDomainMinSidePx = 32;  // smaller pictures are icons or thumbnails, never a film or a slice

struct DomainVerdict {
    bool in_domain = true;
    std::string note;  // one sentence for people when out of domain; empty otherwise
};

// "" or why no model can judge the image: one flat grey level, or too small.
// input: the model's input [H * W]; seen_width, seen_height: the part of the image it shows, in px.
std::string domain_precheck(const std::vector<float>& input, int seen_width, int seen_height);

// distance: the model's domain output for the image (ignored where its card has no domain check).
DomainVerdict domain_judge(const ModelCard& card, const std::string& precheck, double distance);

}  // namespace rl
