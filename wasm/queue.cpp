// The processing queue's state machine and its CSV.
#include "queue.h"

#include <emscripten.h>

#include <cstdio>

#include "postprocess.h"
#include "preprocess.h"
#include "bridge.h"

namespace {

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// input: receives the model input sent.
int request_send(Queue& q, const Model& model, const rl::GrayImage& image, std::string* error, std::vector<float>* input) {
    const rl::Status s = rl::preprocess(image, model.card.input, input);
    if (!s.ok()) {
        *error = s.message;
        return -1;
    }
    const int request = q.next_request++;
    bridge_infer(request, model.name, input->data(), model.card.input.height, model.card.input.width);
    return request;
}

void item_finish(Queue& q, Item& it) {
    it.state = it.error.empty() ? ItemState::done : ItemState::failed;
    it.total_ms = emscripten_get_now() - it.start_ms;
    q.active = -1;
}

}  // namespace

const char* item_state_name(ItemState state) {
    switch (state) {
        case ItemState::queued: return "queued";
        case ItemState::reading: return "reading";
        case ItemState::running: return "running";
        case ItemState::done: return "done";
        case ItemState::failed: return "failed";
    }
    return "?";
}

std::string item_result(const Item& it) {
    if (it.state == ItemState::failed) return "error: " + it.error;
    if (it.answer.decision != rl::kAbstain) return it.answer.decision;
    return it.answer.in_domain ? "no answer (not better than chance)" : "no answer (outside the model's domain)";
}

void queue_add(Queue& q, int file_id, const std::string& path) {
    Item it;
    it.file_id = file_id;
    it.path = path;
    q.items.push_back(std::move(it));
}

void queue_restart(Queue& q) {
    for (Item& it : q.items) {
        Item fresh;
        fresh.file_id = it.file_id;
        fresh.path = it.path;
        it = std::move(fresh);
    }
    q.active = -1;  // answers still out for the old run are ignored: their request ids are gone
}

void queue_step(Queue& q, const Models& models) {
    if (q.active >= 0 || !models_chosen(models)) return;
    for (size_t i = 0; i < q.items.size(); ++i) {
        if (q.items[i].state != ItemState::queued) continue;
        q.active = int(i);
        q.items[i].state = ItemState::reading;
        q.items[i].start_ms = emscripten_get_now();
        bridge_file_read(q.items[i].file_id);
        return;
    }
}

int queue_find_file(const Queue& q, int file_id) {
    for (size_t i = 0; i < q.items.size(); ++i)
        if (q.items[i].file_id == file_id) return int(i);
    return -1;
}

void queue_fail(Queue& q, int item, const std::string& reason) {
    Item& it = q.items[size_t(item)];
    it.error = it.path + ": " + reason;
    if (q.active == item) item_finish(q, it);
}

void queue_decoded(Queue& q, Models& models, int item, const rl::Status& decoded, const rl::GrayImage& image) {
    Item& it = q.items[size_t(item)];
    it.picture_ms = emscripten_get_now() - it.start_ms;
    if (!decoded.ok()) return queue_fail(q, item, decoded.message);
    const Model* chosen = models_chosen(models);
    if (!chosen) return queue_fail(q, item, "no model is ready");
    std::string error;
    std::vector<float> input;
    it.model = chosen->name;
    it.model_request = request_send(q, *chosen, image, &error, &input);
    if (it.model_request < 0) return queue_fail(q, item, error);
    it.seen = rl::preprocess_region(image, chosen->card.input);
    it.precheck = rl::domain_precheck(input, it.seen.width, it.seen.height);
    it.requests_left = 1;
    const Model* gate = models_gatekeeper(models);
    if (gate && gate != chosen) {
        it.gate_request = request_send(q, *gate, image, &error, &input);
        if (it.gate_request >= 0) it.requests_left += 1;
    }
    it.state = ItemState::running;
}

int queue_inference_done(Queue& q, Models& models, int request, const float* probs, int prob_count, const float* cam,
                         int cam_height, int cam_width, double domain_distance, double latency_ms) {
    if (q.active < 0) return -1;
    Item& it = q.items[size_t(q.active)];
    const int item = q.active;
    const std::vector<float> p(probs, probs + prob_count);
    if (request == it.model_request || request == it.gate_request) it.inference_ms += latency_ms;
    if (request == it.model_request) {
        Model* m = models_find(models, it.model);
        if (!m || size_t(prob_count) != m->card.labels.size()) {
            queue_fail(q, item, it.model + " returned " + std::to_string(prob_count) + " values");
            return item;
        }
        m->last_latency_ms = latency_ms;
        it.probs = p;
        it.answer = rl::postprocess_answer(m->card, p, rl::domain_judge(m->card, it.precheck, domain_distance));
        it.cam.assign(cam, cam + size_t(prob_count) * cam_height * cam_width);
        it.cam_height = cam_height;
        it.cam_width = cam_width;
        // The gatekeeper's own model judges itself.
        if (models.has_gatekeeper && m->name == models.gatekeeper.model) {
            it.kinds = p;
            it.verdict = rl::gatekeeper_judge(models.gatekeeper, m->card.labels, p, m->name);
        }
    } else if (request == it.gate_request) {
        const Model* gate = models_gatekeeper(models);
        if (gate && size_t(prob_count) == gate->card.labels.size()) {
            it.kinds = p;
            it.verdict = rl::gatekeeper_judge(models.gatekeeper, gate->card.labels, p, it.model);
        }
    } else {
        return -1;
    }
    if (--it.requests_left == 0) item_finish(q, it);
    return item;
}

int queue_inference_failed(Queue& q, int request, const std::string& message) {
    if (q.active < 0) return -1;
    Item& it = q.items[size_t(q.active)];
    if (request != it.model_request && request != it.gate_request) return -1;
    const int item = q.active;
    queue_fail(q, item, message);
    return item;
}

int queue_finished(const Queue& q) {
    int n = 0;
    for (const Item& it : q.items) n += it.state == ItemState::done || it.state == ItemState::failed;
    return n;
}

std::string queue_csv(const Queue& q, const Models& models) {
    const Model* chosen = models_chosen(models);
    std::vector<std::string> labels = chosen ? chosen->card.labels : std::vector<std::string>{};
    std::string out = "path";
    for (const std::string& l : labels) out += "," + csv_field(l);
    out += ",decision,in_domain,note,error\n";
    for (const Item& it : q.items) {
        if (it.state != ItemState::done && it.state != ItemState::failed) continue;
        out += csv_field(it.path);
        const bool has = it.state == ItemState::done && it.probs.size() == labels.size();
        for (size_t i = 0; i < labels.size(); ++i) {
            char value[32] = "";
            if (has) std::snprintf(value, sizeof value, "%.9g", double(it.probs[i]));
            out += std::string(",") + value;
        }
        out += "," + csv_field(has ? it.answer.decision : "") + "," + (has ? (it.answer.in_domain ? "yes" : "no") : "") + "," +
               csv_field(has ? it.answer.note : "") + "," + csv_field(it.error) + "\n";
    }
    return out;
}
