// C entry points of the core for JavaScript (node tools and tests): the same
// decode, preprocess, model card and decision code the browser app and the
// trainer run.
#include <emscripten.h>

#include <string>
#include <vector>

#include "image_decode.h"
#include "model_card.h"
#include "postprocess.h"
#include "preprocess.h"

namespace {

std::string g_text;   // returned strings live here until the next call
rl::ModelCard g_card;  // the card loaded by rl_card_load

const char* text_return(std::string s) {
    g_text = std::move(s);
    return g_text.c_str();
}

}  // namespace

extern "C" {

// Decodes `bytes` and writes the model input ([1, height, width] float32) to
// `out`. Returns "" on success, else the reason.
EMSCRIPTEN_KEEPALIVE const char* rl_preprocess_image(const uint8_t* bytes, int size, int width, int height, const char* resize,
                                                     const char* scaling, float mean, float std, float* out) {
    rl::InputSpec spec;
    spec.width = width;
    spec.height = height;
    spec.mean = mean;
    spec.std = std;
    if (!rl::resize_policy_parse(resize, &spec.resize)) return text_return(std::string("unknown resize policy ") + resize);
    if (!rl::intensity_scaling_parse(scaling, &spec.scaling)) return text_return(std::string("unknown scaling ") + scaling);
    rl::GrayImage image;
    rl::Status s = rl::image_decode(bytes, size_t(size), &image);
    std::vector<float> input;
    if (s.ok()) s = rl::preprocess(image, spec, &input);
    if (!s.ok()) return text_return(s.message);
    std::copy(input.begin(), input.end(), out);
    return "";
}

// Parses and validates a model card (a draft may lack test metrics) and
// keeps it for the calls below. Returns "" or the reason, naming the field.
EMSCRIPTEN_KEEPALIVE const char* rl_card_load(const char* json, int draft) {
    return text_return(rl::model_card_parse(json, &g_card, draft != 0).message);
}

// Checks the loaded card against facts read from its ONNX file (-1: unknown).
EMSCRIPTEN_KEEPALIVE const char* rl_card_check_model(const char* sha256, int channels, int height, int width, int outputs) {
    return text_return(rl::model_card_check_model(g_card, {sha256, channels, height, width, outputs}).message);
}

// The decision for one image's probabilities ([labels] float32).
EMSCRIPTEN_KEEPALIVE const char* rl_card_decide(const float* probs) {
    return text_return(rl::postprocess_decision(g_card, std::vector<float>(probs, probs + g_card.labels.size())));
}

}  // extern "C"
