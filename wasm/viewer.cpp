// GL side of the viewer: textures, the display program and the render pass.
#include "viewer.h"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "shaders.h"

namespace {

struct Gl {
    GLuint program = 0, vao = 0, fbo = 0;
    GLuint image_tex = 0, cam_tex = 0, out_tex = 0;
    GLint max_side = 0;
} g_gl;

constexpr float kZoomMin = 0.05f, kZoomMax = 32.0f;

GLuint shader_compile(GLenum kind, const char* source, std::string* error) {
    const GLuint s = glCreateShader(kind);
    glShaderSource(s, 1, &source, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        *error = std::string("display shader: ") + log;
    }
    return s;
}

GLuint texture_new(GLint filter) {
    GLuint t = 0;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return t;
}

void cam_upload(const std::vector<float>& cam, int width, int height) {
    static const float kNone = 0.0f;
    glBindTexture(GL_TEXTURE_2D, g_gl.cam_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cam.empty() ? 1 : width, cam.empty() ? 1 : height, 0, GL_RED, GL_FLOAT,
                 cam.empty() ? &kNone : cam.data());
}

}  // namespace

bool viewer_init(Viewer& v, std::string* error) {
    const GLuint vs = shader_compile(GL_VERTEX_SHADER, kDisplayVertexShader, error);
    const GLuint fs = shader_compile(GL_FRAGMENT_SHADER, kDisplayFragmentShader, error);
    if (!error->empty()) return false;
    g_gl.program = glCreateProgram();
    glAttachShader(g_gl.program, vs);
    glAttachShader(g_gl.program, fs);
    glLinkProgram(g_gl.program);
    GLint ok = 0;
    glGetProgramiv(g_gl.program, GL_LINK_STATUS, &ok);
    if (!ok) return *error = "display shader: link failed", false;
    glGenVertexArrays(1, &g_gl.vao);
    glGenFramebuffers(1, &g_gl.fbo);
    g_gl.image_tex = texture_new(GL_NEAREST);  // integer textures cannot be filtered
    g_gl.cam_tex = texture_new(GL_NEAREST);    // R32F is not filterable in WebGL2; the shader interpolates
    g_gl.out_tex = texture_new(GL_LINEAR);
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &g_gl.max_side);
    cam_upload({}, 0, 0);
    viewer_clear(v, "Drop images here, paste, or press O to open files.");
    return true;
}

void viewer_clear(Viewer& v, const std::string& message) {
    v.image = {};
    v.title.clear();
    v.cam.clear();
    v.error = message;
}

void viewer_set_image(Viewer& v, rl::GrayImage image, const std::string& title) {
    v.error.clear();
    v.title = title;
    if (image.width > g_gl.max_side || image.height > g_gl.max_side) {
        viewer_clear(v, title + ": " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                            " px is larger than this GPU can show (" + std::to_string(g_gl.max_side) + " px)");
        return;
    }
    v.image = std::move(image);
    v.presets = rl::display_window_presets(v.image);
    v.cam.clear();
    cam_upload({}, 0, 0);
    viewer_window_preset(v, v.preset < int(v.presets.size()) ? v.preset : 0);
    glBindTexture(GL_TEXTURE_2D, g_gl.image_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R16UI, v.image.width, v.image.height, 0, GL_RED_INTEGER, GL_UNSIGNED_SHORT,
                 v.image.pixels.data());
    glBindTexture(GL_TEXTURE_2D, g_gl.out_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, v.image.width, v.image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    v.fit_pending = true;
    v.dirty = true;
}

void viewer_set_cam(Viewer& v, const float* cam, int cam_width, int cam_height, const rl::InputSpec& spec, const rl::ImageRegion& seen) {
    if (v.image.pixels.empty()) return;
    v.cam = rl::display_cam_normalised(cam, cam_width, cam_height);
    v.cam_width = cam_width;
    v.cam_height = cam_height;
    v.placement = rl::display_cam_placement(seen, spec, cam_width, cam_height);
    cam_upload(v.cam, cam_width, cam_height);
    v.dirty = true;
}

void viewer_clear_cam(Viewer& v) {
    v.cam.clear();
    cam_upload({}, 0, 0);
    v.dirty = true;
}

void viewer_window_preset(Viewer& v, int preset) {
    if (preset < 0 || preset >= int(v.presets.size())) return;
    v.preset = preset;
    v.params.window = v.presets[size_t(preset)].window;
    v.dirty = true;
}

void viewer_fit(Viewer& v) { v.fit_pending = true; }

void viewer_render(Viewer& v) {
    if (!v.dirty || v.image.pixels.empty()) return;
    v.dirty = false;
    GLint previous_fbo = 0, viewport[4];
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &previous_fbo);
    glGetIntegerv(GL_VIEWPORT, viewport);
    glBindFramebuffer(GL_FRAMEBUFFER, g_gl.fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, g_gl.out_tex, 0);
    glViewport(0, 0, v.image.width, v.image.height);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glUseProgram(g_gl.program);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, g_gl.image_tex);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, g_gl.cam_tex);
    const GLuint p = g_gl.program;
    glUniform1i(glGetUniformLocation(p, "u_image"), 0);
    glUniform1i(glGetUniformLocation(p, "u_cam"), 1);
    glUniform1f(glGetUniformLocation(p, "u_window_low"), float(v.params.window.center - v.params.window.width / 2.0));
    glUniform1f(glGetUniformLocation(p, "u_window_width"), float(v.params.window.width));
    glUniform1i(glGetUniformLocation(p, "u_invert"), v.params.invert ? 1 : 0);
    glUniform1f(glGetUniformLocation(p, "u_heat_opacity"), v.heat_on && !v.cam.empty() ? v.heat_opacity : 0.0f);
    glUniform4f(glGetUniformLocation(p, "u_cam_placement"), v.placement.scale_x, v.placement.bias_x, v.placement.scale_y,
                v.placement.bias_y);
    glBindVertexArray(g_gl.vao);
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindVertexArray(0);
    glActiveTexture(GL_TEXTURE0);
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(previous_fbo));
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
}

void viewer_draw(Viewer& v) {
    ImGui::BeginChild("image", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const ImVec2 origin = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
    if (v.image.pixels.empty()) {
        ImGui::SetCursorPos(ImVec2(16, size.y / 2));
        ImGui::TextWrapped("%s", v.error.c_str());
        ImGui::EndChild();
        return;
    }
    if (v.fit_pending && size.x > 0 && size.y > 0) {
        v.zoom = std::min(size.x / float(v.image.width), size.y / float(v.image.height));
        v.pan_x = v.image.width / 2.0f;
        v.pan_y = v.image.height / 2.0f;
        v.fit_pending = false;
    }
    ImGui::InvisibleButton("canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsItemHovered() && io.MouseWheel != 0.0f) {  // zoom about the cursor
        const float old_zoom = v.zoom;
        v.zoom = std::clamp(v.zoom * std::pow(1.15f, io.MouseWheel), kZoomMin, kZoomMax);
        const float cx = io.MousePos.x - origin.x - size.x / 2, cy = io.MousePos.y - origin.y - size.y / 2;
        v.pan_x += cx / old_zoom - cx / v.zoom;
        v.pan_y += cy / old_zoom - cy / v.zoom;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        v.pan_x -= io.MouseDelta.x / v.zoom;
        v.pan_y -= io.MouseDelta.y / v.zoom;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right)) {
        const double full = double(v.image.max_value);  // the whole scale per view width
        v.params.window.width = std::max(1.0, v.params.window.width + io.MouseDelta.x * full / size.x);
        v.params.window.center -= io.MouseDelta.y * full / size.y;
        v.dirty = true;
    }
    const ImVec2 centre(origin.x + size.x / 2, origin.y + size.y / 2);
    const ImVec2 a(centre.x - v.pan_x * v.zoom, centre.y - v.pan_y * v.zoom);
    const ImVec2 b(a.x + v.image.width * v.zoom, a.y + v.image.height * v.zoom);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
    draw->AddImage(reinterpret_cast<ImTextureID>(uintptr_t(g_gl.out_tex)), a, b);
    draw->PopClipRect();
    ImGui::EndChild();
}
