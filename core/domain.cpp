// Domain verdicts; see domain.h.
#include "domain.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rl {

std::string domain_precheck(const std::vector<float>& input, int seen_width, int seen_height) {
    if (seen_width < kDomainMinSidePx || seen_height < kDomainMinSidePx)
        return "it is " + std::to_string(seen_width) + " x " + std::to_string(seen_height) + " px, smaller than " +
               std::to_string(kDomainMinSidePx) + " px on a side";
    const auto [lo, hi] = std::minmax_element(input.begin(), input.end());
    if (input.empty() || *lo == *hi) return "it is one flat grey level";
    return "";
}

DomainVerdict domain_judge(const ModelCard& card, const std::string& precheck, double distance) {
    if (!precheck.empty()) return {false, "This image cannot be judged by " + card.name + ": " + precheck + ". No answer."};
    const DomainCheck& d = card.domain;
    if (d.output.empty() || distance <= d.threshold) return {};
    char figures[200];
    if (std::isfinite(distance))
        std::snprintf(figures, sizeof figures, "domain distance %.2f; held-out validation images: median %.2f, 99 %% at most %.2f",
                      distance, d.validation_median, d.threshold);
    else
        std::snprintf(figures, sizeof figures, "domain distance not finite");
    return {false, "This image does not look like the " + d.images + " " + card.name + " was trained on: no answer (" + figures + ")."};
}

}  // namespace rl
