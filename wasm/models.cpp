// The model registry behind the picker.
#include "models.h"

#include "reliability.h"

#include <cstdio>

Model* models_find(Models& models, const std::string& name) {
    for (Model& m : models.list)
        if (m.name == name) return &m;
    return nullptr;
}

void models_listed(Models& models, const std::string& name) {
    if (!models_find(models, name)) models.list.push_back({name, ModelState::loading, "loading", {}, "", "", 0.0, 0.0});
}

bool models_offer(Models& models, const std::string& name, const std::string& card_json, const std::string& sha256) {
    models_listed(models, name);
    Model* m = models_find(models, name);
    m->sha256_seen = sha256;
    rl::Status s = rl::model_card_parse(card_json, &m->card);
    if (s.ok() && m->card.name != name) s = rl::Status::failure("the card describes \"" + m->card.name + "\"");
    if (s.ok()) s = rl::model_card_check_model(m->card, {sha256, -1, -1, -1, -1});
    if (!s.ok()) {
        models_fail(models, name, "models/" + name + ".card.json: " + s.message);
        return false;
    }
    m->message = "loading the ONNX model";
    return true;
}

void models_ready(Models& models, const std::string& name, const std::string& backend, double load_ms) {
    Model* m = models_find(models, name);
    if (!m || m->state == ModelState::disabled) return;
    m->state = ModelState::ready;
    m->backend = backend;
    m->load_ms = load_ms;
    m->message = "ready";
    if (models.chosen < 0) models.chosen = int(m - models.list.data());
}

void models_fail(Models& models, const std::string& name, const std::string& message) {
    models_listed(models, name);
    Model* m = models_find(models, name);
    m->state = ModelState::disabled;
    m->message = message;
    if (models.chosen == int(m - models.list.data())) models.chosen = -1;
}

const Model* models_gatekeeper(const Models& models) {
    if (!models.has_gatekeeper) return nullptr;
    for (const Model& m : models.list)
        if (m.name == models.gatekeeper.model && m.state == ModelState::ready) return &m;
    return nullptr;
}

const Model* models_chosen(const Models& models) {
    return models.chosen >= 0 && models.list[size_t(models.chosen)].state == ModelState::ready ? &models.list[size_t(models.chosen)]
                                                                                             : nullptr;
}

std::string models_summary(const Model& model) { return rl::reliability_judge(model.card).summary; }
