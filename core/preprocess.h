// The one function that turns a decoded image into a model input, as the
// model card's input spec describes it. Trainer, app and classify command all
// call it, so a model sees the same numbers in training and in use.
#pragma once
#include <string>
#include <vector>

#include "image_decode.h"
#include "status.h"

namespace rl {

// How the image is fitted to the model's aspect ratio before resampling.
// crop_to_content first crops to the box of pixels above kContentLevel (after
// scaling), so that a head that fills a third of one frame and all of another
// reaches the model at one size; then it pads like pad_to_square.
enum class ResizePolicy { stretch, pad_to_square, center_crop, crop_to_content };
constexpr float kContentLevel = 0.1f;
// How stored values become [0, 1]: divide by the format's full scale, or
// stretch this image's own min..max (a constant image becomes all zeros), or
// equalize: divide by full scale, then spread the values above kContentLevel
// over (kContentLevel, 1] by their rank among them (histogram equalisation of
// the content), so that a slice's gamma, gain or window reaches the model as
// nearly the same numbers: exactly, for an increasing remapping that merges
// no two values and moves none across kContentLevel. Values up to
// kContentLevel stay as they are, which keeps crop_to_content's box.
enum class IntensityScaling { full_range, min_max, equalize };

struct InputSpec {
    int width = 0;   // model input size, px
    int height = 0;
    ResizePolicy resize = ResizePolicy::stretch;
    IntensityScaling scaling = IntensityScaling::full_range;
    float mean = 0.0f;  // after scaling: (x - mean) / std
    float std = 1.0f;
};

constexpr int kInputMaxSidePx = 4096;

const char* resize_policy_name(ResizePolicy policy);
bool resize_policy_parse(const std::string& name, ResizePolicy* policy);
const char* intensity_scaling_name(IntensityScaling scaling);
bool intensity_scaling_parse(const std::string& name, IntensityScaling* scaling);

// Rejects sizes outside 1..kInputMaxSidePx and a std that is not > 0.
Status input_spec_validate(const InputSpec& spec);

// The part of an image the model sees: all of it, or for crop_to_content the
// box of pixels above kContentLevel (all of it when no pixel is).
struct ImageRegion {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};
ImageRegion preprocess_region(const GrayImage& image, const InputSpec& spec);

// Where a region of region_width x region_height lies before resampling: the
// padded (or cropped) frame's size and the region's offset inside it
// (positive when padding, negative when cropping). The app uses it to lay the
// model's activation map over the image.
struct FittedFrame {
    int width = 0;
    int height = 0;
    int offset_x = 0;
    int offset_y = 0;
};
FittedFrame preprocess_fitted_frame(int region_width, int region_height, const InputSpec& spec);

// out: [1, spec.height, spec.width] float32, row-major. Padding is black
// (0 before normalisation). Resampling: box filter when shrinking an axis,
// triangle (bilinear) when enlarging, edges clamped; same size is a copy.
Status preprocess(const GrayImage& image, const InputSpec& spec, std::vector<float>* out);

}  // namespace rl
