// Scaling, aspect fitting and resampling of a GrayImage into a model input.
#include "preprocess.h"

#include <algorithm>
#include <cmath>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#include <stb_image_resize.h>
#pragma GCC diagnostic pop

namespace rl {
namespace {

struct Plane {
    int width = 0;
    int height = 0;
    std::vector<float> values;  // [height, width]
};

// Each content value's midpoint rank among the content values, so that the
// lowest maps above kContentLevel and ties share one value.
void plane_equalize(const GrayImage& image, Plane* p) {
    std::vector<size_t> count(size_t(image.max_value) + 1, 0);
    size_t content = 0;
    for (size_t i = 0; i < p->values.size(); ++i)
        if (p->values[i] > kContentLevel) ++count[image.pixels[i]], ++content;
    std::vector<float> mapped(count.size(), 0.0f);
    size_t below = 0;
    for (size_t v = 0; v < count.size(); below += count[v], ++v)
        mapped[v] = kContentLevel + (1.0f - kContentLevel) * float((double(below) + 0.5 * double(count[v])) / double(content));
    for (size_t i = 0; i < p->values.size(); ++i)
        if (p->values[i] > kContentLevel) p->values[i] = mapped[image.pixels[i]];
}

// equalize is full range here; preprocess() equalises after finding the crop
// box, which it does not move, so preprocess_region() never needs it.
Plane plane_scaled(const GrayImage& image, IntensityScaling scaling) {
    Plane p{image.width, image.height, std::vector<float>(image.pixels.size())};
    float lo = 0.0f, hi = float(image.max_value);
    if (scaling == IntensityScaling::min_max) {
        const auto [mn, mx] = std::minmax_element(image.pixels.begin(), image.pixels.end());
        lo = float(*mn);
        hi = float(*mx);
    }
    const float range = hi - lo;
    for (size_t i = 0; i < p.values.size(); ++i)
        p.values[i] = range > 0.0f ? (float(image.pixels[i]) - lo) / range : 0.0f;
    return p;
}

ImageRegion region_of(const Plane& p, ResizePolicy policy) {
    ImageRegion r{0, 0, p.width, p.height};
    if (policy != ResizePolicy::crop_to_content) return r;
    int x0 = p.width, y0 = p.height, x1 = -1, y1 = -1;
    for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width; ++x)
            if (p.values[size_t(y) * p.width + x] > kContentLevel) {
                x0 = std::min(x0, x), x1 = std::max(x1, x);
                y0 = std::min(y0, y), y1 = std::max(y1, y);
            }
    return x1 < 0 ? r : ImageRegion{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

Plane plane_cropped(const Plane& p, const ImageRegion& r) {
    if (r.width == p.width && r.height == p.height) return p;
    Plane out{r.width, r.height, {}};
    out.values.reserve(size_t(r.width) * size_t(r.height));
    for (int y = r.y; y < r.y + r.height; ++y) {
        const auto row = p.values.begin() + std::ptrdiff_t(size_t(y) * p.width + r.x);
        out.values.insert(out.values.end(), row, row + r.width);
    }
    return out;
}

// Pads (black, centred) or centre-crops `src` to the aspect ratio width:height.
Plane plane_fitted(const Plane& src, int width, int height, ResizePolicy policy) {
    const FittedFrame f = preprocess_fitted_frame(src.width, src.height, {width, height, policy});
    if (f.width == src.width && f.height == src.height) return src;
    Plane dst{f.width, f.height, {}};
    dst.values.assign(size_t(dst.width) * size_t(dst.height), 0.0f);
    // Offsets of src inside dst: positive when padding, negative when cropping.
    const int off_x = f.offset_x, off_y = f.offset_y;
    for (int y = 0; y < dst.height; ++y) {
        const int sy = y - off_y;
        if (sy < 0 || sy >= src.height) continue;
        for (int x = 0; x < dst.width; ++x) {
            const int sx = x - off_x;
            if (sx >= 0 && sx < src.width) dst.values[size_t(y) * dst.width + x] = src.values[size_t(sy) * src.width + sx];
        }
    }
    return dst;
}

stbir_filter filter_for(int from_px, int to_px) { return to_px < from_px ? STBIR_FILTER_BOX : STBIR_FILTER_TRIANGLE; }

}  // namespace

ImageRegion preprocess_region(const GrayImage& image, const InputSpec& spec) {
    if (spec.resize != ResizePolicy::crop_to_content) return {0, 0, image.width, image.height};
    return region_of(plane_scaled(image, spec.scaling), spec.resize);
}

FittedFrame preprocess_fitted_frame(int region_width, int region_height, const InputSpec& spec) {
    FittedFrame f{region_width, region_height, 0, 0};
    const long long lhs = 1LL * region_width * spec.height, rhs = 1LL * region_height * spec.width;
    if (spec.resize == ResizePolicy::stretch || lhs == rhs) return f;
    if ((lhs > rhs) == (spec.resize != ResizePolicy::center_crop))  // pad: keep the width, change the height
        f.height = std::max(1, int(std::lround(double(region_width) * spec.height / spec.width)));
    else
        f.width = std::max(1, int(std::lround(double(region_height) * spec.width / spec.height)));
    f.offset_x = (f.width - region_width) / 2;
    f.offset_y = (f.height - region_height) / 2;
    return f;
}

const char* resize_policy_name(ResizePolicy policy) {
    switch (policy) {
        case ResizePolicy::stretch: return "stretch";
        case ResizePolicy::pad_to_square: return "pad_to_square";
        case ResizePolicy::center_crop: return "center_crop";
        case ResizePolicy::crop_to_content: return "crop_to_content";
    }
    return "?";
}

bool resize_policy_parse(const std::string& name, ResizePolicy* policy) {
    for (ResizePolicy p : {ResizePolicy::stretch, ResizePolicy::pad_to_square, ResizePolicy::center_crop, ResizePolicy::crop_to_content})
        if (name == resize_policy_name(p)) return *policy = p, true;
    return false;
}

const char* intensity_scaling_name(IntensityScaling scaling) {
    switch (scaling) {
        case IntensityScaling::full_range: return "full_range";
        case IntensityScaling::min_max: return "min_max";
        case IntensityScaling::equalize: return "equalize";
    }
    return "?";
}

bool intensity_scaling_parse(const std::string& name, IntensityScaling* scaling) {
    for (IntensityScaling s : {IntensityScaling::full_range, IntensityScaling::min_max, IntensityScaling::equalize})
        if (name == intensity_scaling_name(s)) return *scaling = s, true;
    return false;
}

Status input_spec_validate(const InputSpec& spec) {
    if (spec.width < 1 || spec.width > kInputMaxSidePx || spec.height < 1 || spec.height > kInputMaxSidePx)
        return Status::failure("input size " + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
                               " outside 1.." + std::to_string(kInputMaxSidePx));
    if (!(spec.std > 0.0f) || !std::isfinite(spec.std) || !std::isfinite(spec.mean))
        return Status::failure("input normalisation needs a finite mean and std > 0");
    return Status::success();
}

Status preprocess(const GrayImage& image, const InputSpec& spec, std::vector<float>* out) {
    Status s = input_spec_validate(spec);
    if (!s.ok()) return s;
    if (image.width < 1 || image.height < 1 || image.pixels.size() != size_t(image.width) * size_t(image.height))
        return Status::failure("empty or inconsistent image");

    Plane scaled = plane_scaled(image, spec.scaling);
    const ImageRegion region = region_of(scaled, spec.resize);
    if (spec.scaling == IntensityScaling::equalize) plane_equalize(image, &scaled);
    const Plane fitted = plane_fitted(plane_cropped(scaled, region), spec.width, spec.height, spec.resize);
    out->assign(size_t(spec.width) * size_t(spec.height), 0.0f);  // [1, H, W]
    if (fitted.width == spec.width && fitted.height == spec.height) {
        *out = fitted.values;
    } else if (!stbir_resize(fitted.values.data(), fitted.width, fitted.height, 0, out->data(), spec.width, spec.height, 0,
                             STBIR_TYPE_FLOAT, 1, STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_EDGE_CLAMP,
                             filter_for(fitted.width, spec.width), filter_for(fitted.height, spec.height),
                             STBIR_COLORSPACE_LINEAR, nullptr)) {
        return Status::failure("resampling failed (out of memory)");
    }
    for (float& v : *out) v = (v - spec.mean) / spec.std;
    return Status::success();
}

}  // namespace rl
