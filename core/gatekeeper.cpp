// Parsing of gatekeeper.json and the match between image kind and model.
#include "gatekeeper.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace rl {

Status gatekeeper_parse(const std::string& json_text, Gatekeeper* out) {
    const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::failure("gatekeeper: not a JSON object");
    Gatekeeper g;
    if (!j.contains("model") || !j["model"].is_string()) return Status::failure("gatekeeper: \"model\" missing");
    g.model = j["model"].get<std::string>();
    if (!j.contains("share") || !j["share"].is_object()) return Status::failure("gatekeeper: \"share\" missing");
    for (const auto& [model, kinds] : j["share"].items()) {
        if (!kinds.is_object()) return Status::failure("gatekeeper: share of " + model + " is not an object");
        for (const auto& [kind, share] : kinds.items()) {
            if (!share.is_number() || share.get<double>() < 0.0 || share.get<double>() > 1.0)
                return Status::failure("gatekeeper: share of " + model + "/" + kind + " is not in [0, 1]");
            g.share[model][kind] = share.get<double>();
        }
    }
    *out = std::move(g);
    return Status::success();
}

GatekeeperVerdict gatekeeper_judge(const Gatekeeper& gatekeeper, const std::vector<std::string>& kinds,
                                   const std::vector<float>& probs, const std::string& chosen_model) {
    GatekeeperVerdict v;
    if (kinds.empty() || probs.size() != kinds.size()) return v;
    const size_t best = size_t(std::max_element(probs.begin(), probs.end()) - probs.begin());
    v.kind = kinds[best];
    v.probability = probs[best];

    std::vector<std::pair<double, std::string>> fits;  // (share, model)
    for (const auto& [model, shares] : gatekeeper.share) {
        const auto it = shares.find(v.kind);
        if (it != shares.end() && it->second >= kGatekeeperMinShare) fits.push_back({it->second, model});
    }
    std::sort(fits.begin(), fits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& f : fits) v.suggested.push_back(f.second);

    const std::string looks = "Looks like " + v.kind + " (" + std::to_string(int(std::lround(v.probability * 100))) + " %)";
    if (chosen_model.empty() || chosen_model == gatekeeper.model) {
        v.message = looks + ".";
    } else {
        v.chosen_fits = std::find(v.suggested.begin(), v.suggested.end(), chosen_model) != v.suggested.end();
        v.message = v.chosen_fits ? looks + ": " + chosen_model + " was trained on images like this."
                                  : "Warning: " + looks + "; " + chosen_model +
                                        " was not trained on images like this, so its answer means little.";
    }
    if (!v.chosen_fits || chosen_model.empty()) {
        if (v.suggested.empty()) {
            v.message += " No shipped model was trained on this kind of image.";
        } else {
            v.message += " Suggested: " + v.suggested.front() + ".";
        }
    }
    return v;
}

}  // namespace rl
