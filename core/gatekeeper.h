// The MedNIST model as a gatekeeper: from its answer on an image, the kind of
// image (body region / modality), which shipped models were trained on that
// kind, and a hint when the chosen model was not (a hint only: each model
// judges its own domain, domain.h). What each model "was
// trained on" is measured, not assumed: web/models/gatekeeper.json holds the
// share of each model's dataset images (a sample) the MedNIST model assigns to
// each kind (written by scripts/gatekeeper.mjs). A call below the document's
// confidence floor makes the kind "unclear", itself a kind with a share: the
// MedNIST model's uncertain calls on other modalities (chest films it calls
// AbdomenCT at 0.8) must not make that kind count as seen.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "status.h"

namespace rl {

// A kind counts as seen in a model's data when at least this share of its
// images was assigned to it (below it sit the MedNIST model's stray calls).
constexpr double kGatekeeperMinShare = 0.05;
// The kind of an image whose most probable class is below the confidence floor.
constexpr const char* kGatekeeperUnclear = "unclear";

struct Gatekeeper {
    std::string model;  // the gatekeeper's own model name (accepts every kind)
    double confident_at = 1.0;  // a call below this probability makes the kind unclear
    std::map<std::string, std::map<std::string, double>> share;  // model -> kind -> share of its dataset's images
};

struct GatekeeperVerdict {
    std::string kind;          // most probable MedNIST class
    double probability = 0.0;  // its probability
    bool confident = false;    // probability reaches the floor; otherwise the kind is unclear
    bool chosen_fits = true;   // the chosen model saw this kind in training
    std::vector<std::string> suggested;  // models that saw this kind, most typical first (none when unclear)
    std::string message;       // one or two sentences for people
};

Status gatekeeper_parse(const std::string& json_text, Gatekeeper* out);

// kinds/probs: the gatekeeper model's labels and calibrated probabilities.
GatekeeperVerdict gatekeeper_judge(const Gatekeeper& gatekeeper, const std::vector<std::string>& kinds,
                                   const std::vector<float>& probs, const std::string& chosen_model);

}  // namespace rl
