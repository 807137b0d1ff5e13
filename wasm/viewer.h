// The image viewer: the decoded picture at full 16-bit precision on the GPU,
// drawn through shaders/display.frag (window/level, invert, heat map) into a
// texture that ImGui shows with zoom and pan.
#pragma once
#include <string>
#include <vector>

#include "display.h"
#include "image_decode.h"
#include "preprocess.h"

struct Viewer {
    rl::GrayImage image;
    std::string title;                     // file shown
    std::vector<rl::WindowPreset> presets;
    int preset = 0;
    rl::DisplayParams params;
    bool heat_on = true;
    float heat_opacity = 0.6f;
    std::vector<float> cam;                // normalised, one label
    int cam_width = 0, cam_height = 0;
    rl::CamPlacement placement;
    float zoom = 1.0f;                     // screen px per image px
    float pan_x = 0.0f, pan_y = 0.0f;      // image px at the view's centre
    bool fit_pending = true;
    bool dirty = true;                     // the texture needs drawing again
    std::string error;                     // why nothing is shown
};

bool viewer_init(Viewer& v, std::string* error);
// Shows a new image with its default window (the first preset) and no heat map.
void viewer_set_image(Viewer& v, rl::GrayImage image, const std::string& title);
void viewer_clear(Viewer& v, const std::string& message);
// cam: [cam_height, cam_width] of one label, raw; spec: the model input the map belongs to.
void viewer_set_cam(Viewer& v, const float* cam, int cam_width, int cam_height, const rl::InputSpec& spec, const rl::ImageRegion& seen);
// No heat map: where the model gives no answer, where it looked is no answer either.
void viewer_clear_cam(Viewer& v);
void viewer_window_preset(Viewer& v, int preset);
void viewer_fit(Viewer& v);
// Draws the texture again if anything changed; call outside ImGui rendering.
void viewer_render(Viewer& v);
// The ImGui child with the image: wheel zooms, left drag pans, right drag
// changes window (horizontal: width, vertical: level).
void viewer_draw(Viewer& v);
