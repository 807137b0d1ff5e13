// Decision rules; see postprocess.h.
#include "postprocess.h"

#include <algorithm>
#include <cassert>

#include "reliability.h"

namespace rl {

double postprocess_threshold(const ModelCard& card, const std::string& label) {
    for (const OperatingPoint& op : card.operating_points)
        if (op.label == label) return op.threshold;
    return -1.0;
}

std::string postprocess_decision(const ModelCard& card, const std::vector<float>& probs) {
    assert(probs.size() == card.labels.size());
    if (card.output_kind == OutputKind::sigmoid) {
        std::string found;
        for (size_t j = 0; j < probs.size(); ++j)
            if (probs[j] >= postprocess_threshold(card, card.labels[j])) found += (found.empty() ? "" : ";") + card.labels[j];
        return found.empty() ? "none" : found;
    }
    if (card.labels.size() == 2) return probs[1] >= postprocess_threshold(card, card.labels[1]) ? card.labels[1] : card.labels[0];
    return card.labels[size_t(std::max_element(probs.begin(), probs.end()) - probs.begin())];
}

Answer postprocess_answer(const ModelCard& card, const std::vector<float>& probs, const DomainVerdict& domain) {
    if (!domain.in_domain) return {kAbstain, false, domain.note};
    const Reliability r = reliability_judge(card);
    if (r.chance) return {kAbstain, true, r.summary + ": no answer."};
    if (r.withheld.empty()) return {postprocess_decision(card, probs), true, ""};
    // Multi-label: a withheld label is never found.
    std::vector<float> kept = probs;
    std::string names;
    for (size_t j = 0; j < card.labels.size(); ++j)
        if (std::find(r.withheld.begin(), r.withheld.end(), card.labels[j]) != r.withheld.end()) {
            kept[j] = -1.0f;
            names += (names.empty() ? "" : ", ") + card.labels[j];
        }
    return {postprocess_decision(card, kept), true, "No answer for " + names + ": not better than chance on held-out data."};
}

}  // namespace rl
