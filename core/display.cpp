// CPU twins of shaders/display.frag. Arithmetic is in float, in the shader's
// order, so the two agree to one grey level (GPU rounding of the final byte).
#include "display.h"

#include <algorithm>
#include <cmath>

namespace rl {
namespace {

constexpr float kPercentileLow = 0.01f, kPercentileHigh = 0.99f;

DisplayWindow window_between(double lo, double hi) {
    if (hi <= lo) hi = lo + 1.0;
    return {(lo + hi) / 2.0, hi - lo};
}

float clamp01(float v) { return std::min(1.0f, std::max(0.0f, v)); }
float mix(float a, float b, float t) { return a * (1.0f - t) + b * t; }
uint8_t to_byte(float v) { return uint8_t(std::lround(clamp01(v) * 255.0f)); }

}  // namespace

std::vector<WindowPreset> display_window_presets(const GrayImage& image) {
    std::vector<WindowPreset> presets;
    presets.push_back({"Full scale", "0 to the format's largest value (" + std::to_string(image.max_value) + ")",
                       window_between(0.0, image.max_value)});
    if (image.pixels.empty()) return presets;
    std::vector<uint32_t> histogram(size_t(image.max_value) + 1, 0);
    for (uint16_t v : image.pixels) histogram[std::min<size_t>(v, image.max_value)] += 1;
    const size_t n = image.pixels.size();
    auto value_at = [&](double share) {
        size_t seen = 0;
        for (size_t v = 0; v < histogram.size(); ++v)
            if ((seen += histogram[v]) > share * double(n - 1)) return double(v);
        return double(image.max_value);
    };
    presets.push_back({"Image range", "this image's darkest to brightest pixel", window_between(value_at(0.0), value_at(1.0))});
    presets.push_back({"Auto contrast", "1st to 99th percentile: a few extreme pixels do not flatten the rest",
                       window_between(value_at(kPercentileLow), value_at(kPercentileHigh))});
    return presets;
}

float display_window_level(float stored, const DisplayWindow& window, bool invert) {
    const float low = float(window.center - window.width / 2.0);
    const float grey = clamp01((stored - low) / float(window.width));
    return invert ? 1.0f - grey : grey;
}

Rgb display_heat_colour(float t) {
    static const Rgb kStops[] = {{0.00f, 0.00f, 0.02f}, {0.34f, 0.06f, 0.43f}, {0.73f, 0.21f, 0.33f},
                                 {0.98f, 0.55f, 0.04f}, {0.99f, 1.00f, 0.64f}};
    const float x = clamp01(t) * 4.0f;
    const int i = std::min(3, int(std::floor(x)));
    const float f = x - float(i);
    return {mix(kStops[i].r, kStops[i + 1].r, f), mix(kStops[i].g, kStops[i + 1].g, f), mix(kStops[i].b, kStops[i + 1].b, f)};
}

std::vector<float> display_cam_normalised(const float* cam, int cam_width, int cam_height) {
    const size_t n = size_t(cam_width) * size_t(cam_height);
    std::vector<float> out(n, 0.0f);
    if (n == 0) return out;
    const auto [lo, hi] = std::minmax_element(cam, cam + n);
    if (!(*hi > *lo)) return out;
    for (size_t i = 0; i < n; ++i) out[i] = (cam[i] - *lo) / (*hi - *lo);
    return out;
}

CamPlacement display_cam_placement(const ImageRegion& seen, const InputSpec& spec, int cam_width, int cam_height) {
    const FittedFrame f = preprocess_fitted_frame(seen.width, seen.height, spec);
    CamPlacement p;
    p.scale_x = float(cam_width) / float(f.width);
    p.scale_y = float(cam_height) / float(f.height);
    p.bias_x = (0.5f + float(f.offset_x - seen.x)) * p.scale_x - 0.5f;  // pixel centre, then cell centre
    p.bias_y = (0.5f + float(f.offset_y - seen.y)) * p.scale_y - 0.5f;
    return p;
}

float display_cam_sample(const std::vector<float>& cam, int cam_width, int cam_height, float cx, float cy) {
    if (cx < -0.5f || cy < -0.5f || cx > float(cam_width) - 0.5f || cy > float(cam_height) - 0.5f) return 0.0f;
    cx = std::min(std::max(cx, 0.0f), float(cam_width - 1));
    cy = std::min(std::max(cy, 0.0f), float(cam_height - 1));
    const int x0 = int(std::floor(cx)), y0 = int(std::floor(cy));
    const int x1 = std::min(x0 + 1, cam_width - 1), y1 = std::min(y0 + 1, cam_height - 1);
    const float fx = cx - float(x0), fy = cy - float(y0);
    auto at = [&](int x, int y) { return cam[size_t(y) * cam_width + x]; };
    return mix(mix(at(x0, y0), at(x1, y0), fx), mix(at(x0, y1), at(x1, y1), fx), fy);
}

std::vector<uint8_t> display_render(const GrayImage& image, const DisplayParams& params, const std::vector<float>& cam,
                                    int cam_width, int cam_height, const CamPlacement& placement) {
    std::vector<uint8_t> rgba(size_t(image.width) * size_t(image.height) * 4);
    const bool overlay = !cam.empty() && params.heat_opacity > 0.0f;
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            const size_t i = size_t(y) * image.width + x;
            const float grey = display_window_level(float(image.pixels[i]), params.window, params.invert);
            Rgb c{grey, grey, grey};
            if (overlay) {
                const float t = display_cam_sample(cam, cam_width, cam_height, float(x) * placement.scale_x + placement.bias_x,
                                                   float(y) * placement.scale_y + placement.bias_y);
                const Rgb heat = display_heat_colour(t);
                const float weight = params.heat_opacity * t;
                c = {mix(c.r, heat.r, weight), mix(c.g, heat.g, weight), mix(c.b, heat.b, weight)};
            }
            uint8_t* out = &rgba[i * 4];
            out[0] = to_byte(c.r);
            out[1] = to_byte(c.g);
            out[2] = to_byte(c.b);
            out[3] = 255;
        }
    }
    return rgba;
}

}  // namespace rl
