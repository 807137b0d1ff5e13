// The shipped models as the page loaded them: each card, its state (loading,
// ready, or disabled with the reason), the hash check, and the gatekeeper.
#pragma once
#include <string>
#include <vector>

#include "gatekeeper.h"
#include "model_card.h"

enum class ModelState { loading, ready, disabled };

struct Model {
    std::string name;
    ModelState state = ModelState::loading;
    std::string message;      // why it is disabled, or how it loaded
    rl::ModelCard card;       // valid once offered
    std::string sha256_seen;  // of the file this page fetched
    std::string backend;      // "wasm" or "webgpu" once ready
    double load_ms = 0.0;
    double last_latency_ms = 0.0;  // inference alone, last image
};

struct Models {
    std::vector<Model> list;
    int chosen = -1;           // index into list
    bool has_gatekeeper = false;
    rl::Gatekeeper gatekeeper;
};

Model* models_find(Models& models, const std::string& name);
void models_listed(Models& models, const std::string& name);
// Validates the card and compares the fetched file's hash with it. Returns
// false (and disables the model with the reason) on any mismatch.
bool models_offer(Models& models, const std::string& name, const std::string& card_json, const std::string& sha256);
void models_ready(Models& models, const std::string& name, const std::string& backend, double load_ms);
void models_fail(Models& models, const std::string& name, const std::string& message);
// The gatekeeper's own model once ready, else null.
const Model* models_gatekeeper(const Models& models);
const Model* models_chosen(const Models& models);
// One line for the picker: how the model did on held-out data, in plain words (reliability.h).
std::string models_summary(const Model& model);
