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
    if (!j.contains("confident_at") || !j["confident_at"].is_number() || j["confident_at"].get<double>() <= 0.0 ||
        j["confident_at"].get<double>() > 1.0)
        return Status::failure("gatekeeper: \"confident_at\" missing or not in (0, 1]");
    g.confident_at = j["confident_at"].get<double>();
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

    v.confident = v.probability >= gatekeeper.confident_at;
    const std::string key = v.confident ? v.kind : kGatekeeperUnclear;
    const auto share_of = [&](const std::string& model) {
        const auto m = gatekeeper.share.find(model);
        if (m == gatekeeper.share.end()) return 0.0;
        const auto it = m->second.find(key);
        return it == m->second.end() ? 0.0 : it->second;
    };

    // Suggesting a model for an image whose kind is unclear would be a guess.
    std::vector<std::pair<double, std::string>> fits;  // (share, model)
    if (v.confident) {
        for (const auto& entry : gatekeeper.share)
            if (share_of(entry.first) >= kGatekeeperMinShare) fits.push_back({share_of(entry.first), entry.first});
    }
    std::sort(fits.begin(), fits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& f : fits) v.suggested.push_back(f.second);

    // Rounded down, so that an unclear call never reads as the floor itself (0.987 as "99 %").
    const std::string percent = std::to_string(int(std::floor(v.probability * 100))) + " %";
    const std::string looks = v.confident ? "Looks like " + v.kind + " (" + percent + ")"
                                          : "Image kind unclear (closest: " + v.kind + ", " + percent + ")";
    if (chosen_model.empty() || chosen_model == gatekeeper.model) {
        v.message = looks + ".";
    } else {
        v.chosen_fits = share_of(chosen_model) >= kGatekeeperMinShare;
        // A hint, not a gate: each model judges its own domain (domain.h).
        if (!v.chosen_fits) {
            v.message = "Hint: " + looks + "; " + chosen_model + " was trained on other kinds of image.";
        } else if (v.confident) {
            v.message = looks + ": " + chosen_model + " was trained on images like this.";
        } else {
            v.message = looks + ".";
        }
    }
    if (v.confident && (!v.chosen_fits || chosen_model.empty())) {
        if (v.suggested.empty()) {
            v.message += " No shipped model was trained on this kind of image.";
        } else {
            v.message += " Try " + v.suggested.front() + ".";
        }
    }
    return v;
}

}  // namespace rl
