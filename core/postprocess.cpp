// Decision rules; see postprocess.h.
#include "postprocess.h"

#include <algorithm>
#include <cassert>

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

}  // namespace rl
