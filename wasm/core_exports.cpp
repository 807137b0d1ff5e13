// C entry points of the core for JavaScript (node tools and tests): the same
// decode + preprocess code the browser app and the trainer run.
#include <emscripten.h>

#include <string>
#include <vector>

#include "image_decode.h"
#include "preprocess.h"

extern "C" {

// Decodes `bytes` and writes the model input ([1, height, width] float32) to
// `out`. Returns "" on success, else the reason (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* rl_preprocess_image(const uint8_t* bytes, int size, int width, int height, const char* resize,
                                                     const char* scaling, float mean, float std, float* out) {
    static std::string error;
    rl::InputSpec spec;
    spec.width = width;
    spec.height = height;
    spec.mean = mean;
    spec.std = std;
    if (!rl::resize_policy_parse(resize, &spec.resize)) return (error = std::string("unknown resize policy ") + resize).c_str();
    if (!rl::intensity_scaling_parse(scaling, &spec.scaling)) return (error = std::string("unknown scaling ") + scaling).c_str();
    rl::GrayImage image;
    rl::Status s = rl::image_decode(bytes, size_t(size), &image);
    std::vector<float> input;
    if (s.ok()) s = rl::preprocess(image, spec, &input);
    if (!s.ok()) return (error = s.message).c_str();
    std::copy(input.begin(), input.end(), out);
    return "";
}

}  // extern "C"
