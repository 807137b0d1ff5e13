// The browser app's entry point: a GLFW window on the page's canvas, Dear
// ImGui on WebGL2, drawn on animation frames when something changed (below),
// and the C callbacks that the page's JavaScript calls with files, models and
// inference results.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app.h"
#include "bridge.h"
#include "postprocess.h"

namespace {

GLFWwindow* g_window = nullptr;
App g_app;
std::string g_text;  // strings returned to JavaScript live here until the next call

// Without a GPU every frame is drawn on the CPU, so frames are drawn only for
// a few animation frames after input or a callback (ImGui settles over a
// few), else every kIdleFrameMs, or kBusyFrameMs while files are in work.
// The figures: docs/app.md, "Frames".
constexpr int kFramesAfterChange = 4;
constexpr double kIdleFrameMs = 500.0;
constexpr double kBusyFrameMs = 250.0;
constexpr float kMaxFrameSeconds = 0.1f;  // a drawn frame counts at most this long (ImGui's key and hover timing)
int g_frames_left = kFramesAfterChange;
double g_last_draw_ms = 0.0;
int g_frames_drawn = 0;  // for tests (app_state_json)

void wake() { g_frames_left = kFramesAfterChange; }

// The font at app.text_scale, rebuilt rather than magnified (a magnified
// atlas blurs), and the style's sizes scaled with it. Between frames only.
float g_text_scale = 1.0f;
void text_scale_apply() {
    if (g_app.text_scale == g_text_scale) return;
    g_text_scale = g_app.text_scale;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig font;
    font.SizePixels = 13.0f * g_text_scale;  // the default font's own size
    io.Fonts->AddFontDefault(&font);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    ImGuiStyle style;
    ImGui::StyleColorsDark(&style);
    style.ScaleAllSizes(g_text_scale);
    ImGui::GetStyle() = style;
}

// A step of the file in flight returned. A frame drawn between two steps
// holds the next one up (ONNX Runtime's wasm shares the main thread), so only
// the end of the batch or of the selected file wakes the loop (docs/app.md,
// "Frames").
void step_returned(int index) {
    queue_step(g_app.queue, g_app.models);
    if (g_app.queue.active < 0 || (index == g_app.selected && index != g_app.queue.active)) wake();
}

void announce_item(App& app, int index) {
    const Item& it = app.queue.items[size_t(index)];
    if (it.state == ItemState::failed) return bridge_announce(it.error);
    const Model* m = models_find(app.models, it.model);
    if (it.state != ItemState::done || !m) return;
    std::string text = it.path + ": " + item_result(it) + ".";
    if (!it.answer.note.empty()) text += " " + it.answer.note;
    for (size_t i = 0; it.answer.decision != rl::kAbstain && i < it.probs.size() && i < m->card.labels.size(); ++i) {
        char part[96];
        std::snprintf(part, sizeof part, " %s %.1f %%.", m->card.labels[i].c_str(), 100.0 * it.probs[i]);
        text += part;
    }
    if (!it.verdict.message.empty()) text += " " + it.verdict.message;
    bridge_announce(text + " Research and teaching only, not a medical device.");
}

void frame() {
    glfwPollEvents();
    queue_step(g_app.queue, g_app.models);
    if (!g_app.batch_announced && g_app.queue.active < 0 && queue_finished(g_app.queue) == int(g_app.queue.items.size())) {
        g_app.batch_announced = true;
        int failed = 0;
        for (const Item& it : g_app.queue.items) failed += it.state == ItemState::failed;
        if (g_app.queue.items.size() > 1)
            bridge_announce("Batch finished: " + std::to_string(g_app.queue.items.size()) + " files, " + std::to_string(failed) +
                            " failed.");
    }
    const double now = emscripten_get_now();
    const double interval = g_app.queue.active >= 0 ? kBusyFrameMs : kIdleFrameMs;
    if (g_frames_left == 0 && now - g_last_draw_ms < interval) return;
    g_frames_left = std::max(0, g_frames_left - 1);
    g_last_draw_ms = now;
    ++g_frames_drawn;
    viewer_render(g_app.viewer);
    text_scale_apply();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // ImGui counts a held key's time in frame time, and arrow keys repeat after
    // 0.275 s: one slow frame (a large DICOM decoded between two frames on a
    // busy machine) made a single short press of Down skip a file.
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = std::min(io.DeltaTime, kMaxFrameSeconds);
    ImGui::NewFrame();
    panels_shortcuts(g_app);
    panels_draw(g_app);
    ImGui::Render();
    int width = 0, height = 0;
    glfwGetFramebufferSize(g_window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.06f, 0.06f, 0.07f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// Item `index`'s picture was decoded (or not). A read started before a model
// change may answer late: only the read of the file in flight feeds the
// queue; any other only shows the picture.
void picture_arrived(int index, const rl::Status& decoded, rl::GrayImage image) {
    if (index == g_app.queue.active && g_app.queue.items[size_t(index)].state == ItemState::reading)
        queue_decoded(g_app.queue, g_app.models, index, decoded, image);
    if (index != g_app.selected) return;
    const Item& it = g_app.queue.items[size_t(index)];
    if (!decoded.ok()) {
        viewer_clear(g_app.viewer, it.error.empty() ? it.path + ": " + decoded.message : it.error);
        if (it.state == ItemState::failed) announce_item(g_app, index);
        return;
    }
    viewer_set_image(g_app.viewer, std::move(image), it.path);
    app_show_cam(g_app);
}

}  // namespace

void app_show_dicom(App& app) {
    rl::GrayImage image;
    if (app.dicom.path.empty() || !dicom_view_render(app.dicom, &image).ok()) return;
    viewer_set_image(app.viewer, std::move(image), app.dicom.path);
    app_show_cam(app);
}

void app_select(App& app, int index) {
    if (index < 0 || index >= int(app.queue.items.size())) return;
    app.selected = index;
    const Item& it = app.queue.items[size_t(index)];
    if (app.dicom.path != it.path) dicom_view_clear(app.dicom);
    if (!it.probs.empty()) {
        app.heat_label = 0;
        const Model* m = models_find(app.models, it.model);
        if (m && m->card.labels.size() == 2 && m->card.output_kind == rl::OutputKind::softmax)
            app.heat_label = 1;  // the positive label
        else
            app.heat_label = int(std::max_element(it.probs.begin(), it.probs.end()) - it.probs.begin());
    }
    if (app.viewer.title == it.path && !app.viewer.image.pixels.empty()) {
        app_show_cam(app);
    } else {
        viewer_clear(app.viewer, "Reading " + it.path + " ...");
        if (index != app.queue.active) bridge_file_read(it.file_id);  // the one in flight shows itself
    }
    announce_item(app, index);
}

void app_choose_model(App& app, int index) {
    if (index < 0 || index >= int(app.models.list.size()) || app.models.list[size_t(index)].state != ModelState::ready) return;
    if (index == app.models.chosen) return;
    app.models.chosen = index;
    app.user_threshold.clear();
    queue_restart(app.queue);
    app.batch_announced = app.queue.items.empty();
    if (app.selected >= 0) app_select(app, app.selected);
}

void app_show_cam(App& app) {
    if (app.selected < 0) return;
    const Item& it = app.queue.items[size_t(app.selected)];
    const Model* m = models_find(app.models, it.model);
    if (!m || it.cam.empty() || app.viewer.image.pixels.empty() || app.viewer.title != it.path) return;
    if (it.answer.decision == rl::kAbstain && !app.show_withheld) return viewer_clear_cam(app.viewer);
    const size_t plane = size_t(it.cam_width) * it.cam_height;
    const int label = std::clamp(app.heat_label, 0, int(it.probs.size()) - 1);
    viewer_set_cam(app.viewer, it.cam.data() + size_t(label) * plane, it.cam_width, it.cam_height, m->card.input, it.seen);
}

extern "C" {

// Starts the queue at once, before selecting the file: the file in flight
// shows itself, where selecting it first read and decoded it twice. A busy
// queue is drawn without waking (kBusyFrameMs).
EMSCRIPTEN_KEEPALIVE void app_file_add(int file_id, const char* path) {
    queue_add(g_app.queue, file_id, path);
    g_app.batch_announced = false;
    queue_step(g_app.queue, g_app.models);
    if (g_app.selected < 0) app_select(g_app, int(g_app.queue.items.size()) - 1);
    if (g_app.queue.active < 0) wake();
}

EMSCRIPTEN_KEEPALIVE void app_file_bytes(int file_id, const uint8_t* bytes, int size) {
    const int index = queue_find_file(g_app.queue, file_id);
    if (index < 0) return;
    const bool in_flight = index == g_app.queue.active;
    rl::GrayImage image;
    const rl::Status s = rl::image_decode(bytes, size_t(size), &image);
    if (index == g_app.selected) dicom_view_clear(g_app.dicom);
    picture_arrived(index, s, std::move(image));
    in_flight ? step_returned(index) : wake();
}

// A DICOM file read by web/dicom.js: its header (JSON) and pixel words. The
// model gets rl::dicom_model_view; the viewer keeps the image.
EMSCRIPTEN_KEEPALIVE void app_file_dicom(int file_id, const char* header_json, const uint8_t* words, int size) {
    const int index = queue_find_file(g_app.queue, file_id);
    if (index < 0) return;
    const bool in_flight = index == g_app.queue.active;
    rl::DicomHeader header;
    rl::DicomImage dicom;
    rl::GrayImage image;
    rl::Status s = rl::dicom_header_parse(header_json, &header);
    if (s.ok()) s = rl::dicom_image_from_words(header, words, size_t(size), "", &dicom);
    if (s.ok()) s = rl::dicom_model_view(dicom, &image);
    if (index == g_app.selected) {
        if (s.ok()) dicom_view_set(g_app.dicom, std::move(dicom), g_app.queue.items[size_t(index)].path);
        else dicom_view_clear(g_app.dicom);
    }
    picture_arrived(index, s, std::move(image));
    in_flight ? step_returned(index) : wake();
}

EMSCRIPTEN_KEEPALIVE void app_file_failed(int file_id, const char* reason) {
    const int index = queue_find_file(g_app.queue, file_id);
    if (index < 0) return;
    const bool in_flight = index == g_app.queue.active;
    if (in_flight) queue_fail(g_app.queue, index, reason);
    if (index == g_app.selected) viewer_clear(g_app.viewer, g_app.queue.items[size_t(index)].path + ": " + reason);
    in_flight ? step_returned(index) : wake();
}

EMSCRIPTEN_KEEPALIVE void app_model_listed(const char* name) {
    wake();
    models_listed(g_app.models, name);
}

// Returns 0 when the card is valid and matches the file, else 1 (the model is disabled).
EMSCRIPTEN_KEEPALIVE int app_model_offer(const char* name, const char* card_json, const char* sha256) {
    wake();
    return models_offer(g_app.models, name, card_json, sha256) ? 0 : 1;
}

EMSCRIPTEN_KEEPALIVE void app_model_ready(const char* name, const char* backend, double load_ms) {
    wake();
    models_ready(g_app.models, name, backend, load_ms);
}

EMSCRIPTEN_KEEPALIVE void app_model_failed(const char* name, const char* message) {
    wake();
    models_fail(g_app.models, name, message);
    bridge_announce(std::string("Model ") + name + " disabled: " + message);
}

EMSCRIPTEN_KEEPALIVE void app_gatekeeper_offer(const char* json) {
    wake();
    const rl::Status s = rl::gatekeeper_parse(json, &g_app.models.gatekeeper);
    g_app.models.has_gatekeeper = s.ok();
    if (!s.ok()) std::fprintf(stderr, "models/gatekeeper.json: %s\n", s.message.c_str());
}

EMSCRIPTEN_KEEPALIVE void app_inference_done(int request, const float* probs, int prob_count, const float* cam, int cam_height,
                                             int cam_width, double domain_distance, double latency_ms) {
    const int index = queue_inference_done(g_app.queue, g_app.models, request, probs, prob_count, cam, cam_height, cam_width,
                                           domain_distance, latency_ms);
    if (index < 0 || g_app.queue.items[size_t(index)].state == ItemState::running) return;
    if (index == g_app.selected) app_select(g_app, index);  // heat-map label and announcement
    step_returned(index);
}

EMSCRIPTEN_KEEPALIVE void app_inference_failed(int request, const char* message) {
    const int index = queue_inference_failed(g_app.queue, request, message);
    if (index < 0) return;
    if (index == g_app.selected) announce_item(g_app, index);
    step_returned(index);
}

// For tests and the CSV button: the batch as the classify command writes it.
EMSCRIPTEN_KEEPALIVE const char* app_batch_csv() {
    g_text = queue_csv(g_app.queue, g_app.models);
    return g_text.c_str();
}

// Empties the queue (the benchmark measures one model at a time).
EMSCRIPTEN_KEEPALIVE void app_queue_clear() {
    wake();
    const int next_request = g_app.queue.next_request;  // answers still out must not match new requests
    g_app.queue = {};
    g_app.queue.next_request = next_request;
    g_app.selected = -1;
    viewer_clear(g_app.viewer, "Drop images here, paste, or press O to open files.");
}

// For tests: what the page shows, as JSON.
EMSCRIPTEN_KEEPALIVE const char* app_state_json() {
    const Viewer& v = g_app.viewer;
    nlohmann::json state = {{"items", g_app.queue.items.size()}, {"finished", queue_finished(g_app.queue)},
                            {"selected", g_app.selected},        {"chosen", g_app.models.chosen},
                            {"image_width", v.image.width},      {"image_height", v.image.height},
                            {"presets", v.presets.size()},       {"cam_width", v.cam.empty() ? 0 : v.cam_width},
                            {"cam_height", v.cam.empty() ? 0 : v.cam_height},
                            {"cam_max", v.cam.empty() ? 0.0f : *std::max_element(v.cam.begin(), v.cam.end())},
                            {"cam_placement", {v.placement.scale_x, v.placement.bias_x, v.placement.scale_y, v.placement.bias_y}},
                            {"frames_drawn", g_frames_drawn},
                            {"thresholds", g_app.user_threshold},
                            {"font_size", ImGui::GetIO().Fonts->Fonts.empty() ? 0.0f : ImGui::GetIO().Fonts->Fonts[0]->FontSize},
                            {"roc_plot", g_app.roc_plot},
                            {"models", nlohmann::json::array()}};
    for (const Model& m : g_app.models.list)
        state["models"].push_back({{"name", m.name}, {"state", int(m.state)}, {"message", m.message}, {"backend", m.backend}});
    if (!g_app.dicom.path.empty()) {  // the selected file is DICOM: what the header panel shows
        const DicomView& d = g_app.dicom;
        nlohmann::json presets = nlohmann::json::array();
        for (const rl::DicomVoiPreset& p : d.presets) presets.push_back(p.label);
        state["dicom"] = {{"path", d.path}, {"header", nlohmann::json::parse(rl::dicom_header_json(d.image.header))},
                          {"presets", presets}, {"preset", d.preset}, {"frame", d.frame}};
        state["dicom"]["header"].erase("voi_luts");  // LUT data is large; the presets name them
    }
    state["total_ms"] = nlohmann::json::array();  // per finished file, for bench/app.mjs and bench/dicom.mjs
    state["inference_ms"] = nlohmann::json::array();
    state["picture_ms"] = nlohmann::json::array();
    for (const Item& it : g_app.queue.items) {
        if (it.state != ItemState::done) continue;
        state["total_ms"].push_back(it.total_ms);
        state["inference_ms"].push_back(it.inference_ms);
        state["picture_ms"].push_back(it.picture_ms);
    }
    if (g_app.selected >= 0) {
        const Item& it = g_app.queue.items[size_t(g_app.selected)];
        state["verdict"] = it.verdict.message;
        state["answer"] = {{"decision", it.answer.decision}, {"in_domain", it.answer.in_domain}, {"note", it.answer.note}};
        state["show_withheld"] = g_app.show_withheld;
    }
    g_text = state.dump();
    return g_text.c_str();
}

}  // extern "C"

int main() {
    if (!glfwInit()) return 1;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);  // WebGL2
    const int css_width = EM_ASM_INT({ return window.innerWidth; });
    const int css_height = EM_ASM_INT({ return window.innerHeight; });
    g_window = glfwCreateWindow(css_width, css_height, "Radiolens", nullptr, nullptr);
    if (!g_window) return 1;
    glfwMakeContextCurrent(g_window);
    // Input wakes the frame loop; ImGui's backend, installed next, calls these before its own.
    glfwSetCursorPosCallback(g_window, [](GLFWwindow*, double, double) { wake(); });
    glfwSetMouseButtonCallback(g_window, [](GLFWwindow*, int, int, int) { wake(); });
    glfwSetScrollCallback(g_window, [](GLFWwindow*, double, double) { wake(); });
    glfwSetKeyCallback(g_window, [](GLFWwindow*, int, int, int, int) { wake(); });
    glfwSetCharCallback(g_window, [](GLFWwindow*, unsigned int) { wake(); });
    glfwSetWindowSizeCallback(g_window, [](GLFWwindow*, int, int) { wake(); });
    glfwSetWindowFocusCallback(g_window, [](GLFWwindow*, int) { wake(); });
    glfwSetCursorEnterCallback(g_window, [](GLFWwindow*, int) { wake(); });

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // no persisted layout
    ImGui::StyleColorsDark();               // reading-room friendly
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    std::string error;
    if (!viewer_init(g_app.viewer, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        viewer_clear(g_app.viewer, error);
    }
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
