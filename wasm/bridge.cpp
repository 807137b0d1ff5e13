// EM_JS glue: the only file of the app that contains JavaScript.
#include "bridge.h"

#include <emscripten.h>

#include <cstdlib>

namespace {

// clang-format off
EM_JS(void, js_file_read, (int id), { window.radiolens.read(id); });
EM_JS(void, js_infer, (int request, const char* model, const float* input, int count, int height, int width), {
    // Copied before returning: the heap may grow and the caller frees input.
    window.radiolens.infer(Module, request, UTF8ToString(model), HEAPF32.slice(input >> 2, (input >> 2) + count), height, width);
});
EM_JS(void, js_open_files, (), { window.radiolens.openFiles(); });
EM_JS(void, js_open_folder, (), { window.radiolens.openFolder(); });
EM_JS(void, js_download, (const char* name, const char* text, const char* mime), {
    const url = URL.createObjectURL(new Blob([UTF8ToString(text)], { type: UTF8ToString(mime) }));
    const a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
});
EM_JS(void, js_announce, (const char* text), { window.radiolens.announce(UTF8ToString(text)); });
// Strings to C: window.radiolens.text() (main.js) copies into a malloc'd buffer.
EM_JS(char*, js_requests_json, (), {
    const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')].filter(Boolean);
    return window.radiolens.text(Module, JSON.stringify(entries.map((e) => ({ url: e.name, type: e.initiatorType || 'navigation' }))));
});
EM_JS(char*, js_origin, (), { return window.radiolens.text(Module, location.origin); });
EM_JS(char*, js_offline_state, (), { return window.radiolens.text(Module, window.radiolens.offline); });
// clang-format on

std::string taken(char* text) {
    std::string s = text ? text : "";
    free(text);
    return s;
}

}  // namespace

void bridge_file_read(int file_id) { js_file_read(file_id); }

void bridge_infer(int request, const std::string& model, const float* input, int height, int width) {
    js_infer(request, model.c_str(), input, height * width, height, width);
}

void bridge_open_files() { js_open_files(); }
void bridge_open_folder() { js_open_folder(); }

void bridge_download(const std::string& name, const std::string& text, const std::string& mime) {
    js_download(name.c_str(), text.c_str(), mime.c_str());
}

void bridge_announce(const std::string& text) { js_announce(text.c_str()); }
std::string bridge_requests_json() { return taken(js_requests_json()); }
std::string bridge_origin() { return taken(js_origin()); }
std::string bridge_offline_state() { return taken(js_offline_state()); }
