// The viewer's display math: window/level of stored values, the heat-map
// colour scale, and where a model's activation map lies over the image.
// These are the CPU twins of shaders/display.frag: the app draws with the
// shader, the tests compare both on the same inputs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "image_decode.h"
#include "preprocess.h"

namespace rl {

// A linear window in stored-value units: values below center - width / 2 are
// black, above center + width / 2 white.
struct DisplayWindow {
    double center = 127.5;
    double width = 255.0;
};

struct WindowPreset {
    std::string name;
    std::string explanation;
    DisplayWindow window;
};

// Presets for a decoded image: the format's full scale, the image's own
// min..max, and its 1st..99th percentile (ignores a few extreme pixels).
std::vector<WindowPreset> display_window_presets(const GrayImage& image);

// Grey level in [0, 1] of one stored value; `invert` shows a negative.
float display_window_level(float stored, const DisplayWindow& window, bool invert);

struct Rgb {
    float r = 0.0f, g = 0.0f, b = 0.0f;  // [0, 1]
};

// The heat-map colour scale (dark purple through red to pale yellow) at t in [0, 1].
Rgb display_heat_colour(float t);

// One label's activation map [h, w] stretched to [0, 1] (a constant map is 0).
std::vector<float> display_cam_normalised(const float* cam, int cam_width, int cam_height);

// Activation-map coordinate of an image pixel: cam = px * scale + bias, in
// map cells (cell centres at integers). Follows preprocess()'s padding or
// cropping of `seen`, the region of the image the model saw (preprocess_region).
struct CamPlacement {
    float scale_x = 1.0f, bias_x = 0.0f;
    float scale_y = 1.0f, bias_y = 0.0f;
};
CamPlacement display_cam_placement(const ImageRegion& seen, const InputSpec& spec, int cam_width, int cam_height);

// Bilinear sample of a normalised map at cell coordinates, edges clamped;
// 0 outside the region the model saw (half a cell beyond the border).
float display_cam_sample(const std::vector<float>& cam, int cam_width, int cam_height, float cx, float cy);

struct DisplayParams {
    DisplayWindow window;
    bool invert = false;
    float heat_opacity = 0.0f;  // 0: no heat map; the colour's weight is opacity x activation
};

// RGBA8 [height, width, 4] of the image with its heat map: exactly what the
// shader draws. `cam` may be empty (no overlay).
std::vector<uint8_t> display_render(const GrayImage& image, const DisplayParams& params, const std::vector<float>& cam,
                                    int cam_width, int cam_height, const CamPlacement& placement);

}  // namespace rl
