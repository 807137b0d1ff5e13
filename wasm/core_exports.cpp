// C entry points of the core for JavaScript (node tools and tests): the same
// decode, preprocess, model card and decision code the browser app and the
// trainer run.
#include <emscripten.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dicom_image.h"
#include "display.h"
#include "gatekeeper.h"
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

// A DICOM image from web/dicom.js's header JSON and pixel words.
rl::Status dicom_build(const char* header_json, const uint8_t* words, int size, rl::DicomImage* image) {
    rl::DicomHeader header;
    rl::Status s = rl::dicom_header_parse(header_json, &header);
    if (s.ok()) s = rl::dicom_image_from_words(header, words, size_t(size), "", image);
    return s;
}

rl::Status spec_parse(int width, int height, const char* resize, const char* scaling, float mean, float std,
                      rl::InputSpec* spec) {
    spec->width = width;
    spec->height = height;
    spec->mean = mean;
    spec->std = std;
    if (!rl::resize_policy_parse(resize, &spec->resize)) return rl::Status::failure(std::string("unknown resize policy ") + resize);
    if (!rl::intensity_scaling_parse(scaling, &spec->scaling)) return rl::Status::failure(std::string("unknown scaling ") + scaling);
    return rl::Status::success();
}

// Preprocesses into the caller's buffer, and the region of the image the
// model saw (x, y, width, height) into region_out, when every step so far
// succeeded: "" or the first failure's message.
const char* preprocess_return(rl::Status s, const rl::GrayImage& image, const rl::InputSpec& spec, float* out, int* region_out) {
    std::vector<float> input;
    if (s.ok()) s = rl::preprocess(image, spec, &input);
    if (!s.ok()) return text_return(s.message);
    std::copy(input.begin(), input.end(), out);
    const rl::ImageRegion r = rl::preprocess_region(image, spec);
    region_out[0] = r.x, region_out[1] = r.y, region_out[2] = r.width, region_out[3] = r.height;
    return "";
}

}  // namespace

extern "C" {

// Decodes `bytes` and writes the model input ([1, height, width] float32) to
// `out`. Returns "" on success, else the reason.
EMSCRIPTEN_KEEPALIVE const char* rl_preprocess_image(const uint8_t* bytes, int size, int width, int height, const char* resize,
                                                     const char* scaling, float mean, float std, float* out, int* region_out) {
    rl::InputSpec spec;
    rl::GrayImage image;
    rl::Status s = spec_parse(width, height, resize, scaling, mean, std, &spec);
    if (s.ok()) s = rl::image_decode(bytes, size_t(size), &image);
    return preprocess_return(s, image, spec, out, region_out);
}

// The model input of a DICOM image: rl::dicom_model_view, then the same
// preprocess as a PNG.
EMSCRIPTEN_KEEPALIVE const char* rl_preprocess_dicom(const char* header_json, const uint8_t* words, int size, int width,
                                                     int height, const char* resize, const char* scaling, float mean,
                                                     float std, float* out, int* region_out) {
    rl::InputSpec spec;
    rl::DicomImage dicom;
    rl::GrayImage image;
    rl::Status s = spec_parse(width, height, resize, scaling, mean, std, &spec);
    if (s.ok()) s = dicom_build(header_json, words, size, &dicom);
    if (s.ok()) s = rl::dicom_model_view(dicom, &image);
    return preprocess_return(s, image, spec, out, region_out);
}

// Renders one frame of a DICOM image to 8 bits ([rows, columns, samples] to
// out). voi_kind: 0 window, 1 VOI LUT, 2 min-max (see rl::DicomVoi).
EMSCRIPTEN_KEEPALIVE const char* rl_dicom_render(const char* header_json, const uint8_t* words, int size, int frame,
                                                 int voi_kind, int voi_index, int all_frames, uint8_t* out) {
    rl::DicomImage dicom;
    rl::DicomRendering r;
    rl::Status s = dicom_build(header_json, words, size, &dicom);
    if (s.ok()) s = rl::dicom_render(dicom, frame, {rl::DicomVoi::Kind(voi_kind), voi_index, all_frames != 0}, &r);
    if (!s.ok()) return text_return(s.message);
    std::copy(r.pixels.begin(), r.pixels.end(), out);
    return "";
}

// The VOI presets as JSON [{kind, index, label}], or {"error": reason}.
EMSCRIPTEN_KEEPALIVE const char* rl_dicom_presets(const char* header_json, const uint8_t* words, int size) {
    rl::DicomImage dicom;
    const rl::Status s = dicom_build(header_json, words, size, &dicom);
    if (!s.ok()) return text_return(nlohmann::json{{"error", s.message}}.dump());
    nlohmann::json out = nlohmann::json::array();
    for (const rl::DicomVoiPreset& p : rl::dicom_voi_presets(dicom))
        out.push_back({{"kind", int(p.voi.kind)}, {"index", p.voi.index}, {"label", p.label}});
    return text_return(out.dump());
}

// Parses and validates a model card (a draft may lack test metrics) and
// keeps it for the calls below. Returns "" or the reason, naming the field.
EMSCRIPTEN_KEEPALIVE const char* rl_card_load(const char* json, int draft) {
    return text_return(rl::model_card_parse(json, &g_card, draft != 0).message);
}

// A card as the core writes it (model_card_to_json): the layout every card
// file has, whatever wrote its JSON. Returns the text, or "error: " and the reason.
EMSCRIPTEN_KEEPALIVE const char* rl_card_canonical(const char* json, int draft) {
    rl::ModelCard card;
    const rl::Status s = rl::model_card_parse(json, &card, draft != 0);
    return text_return(s.ok() ? rl::model_card_to_json(card) : "error: " + s.message);
}

// Checks the loaded card against facts read from its ONNX file (-1: unknown).
EMSCRIPTEN_KEEPALIVE const char* rl_card_check_model(const char* sha256, int channels, int height, int width, int outputs) {
    return text_return(rl::model_card_check_model(g_card, {sha256, channels, height, width, outputs}).message);
}

// The answer for one image: its probabilities ([labels] float32), the
// model's domain distance, and its input ([count] float32) with the size of
// the image part it shows. JSON {decision, in_domain, note}.
EMSCRIPTEN_KEEPALIVE const char* rl_card_answer(const float* probs, double distance, const float* input, int count, int seen_width,
                                                int seen_height) {
    const std::string precheck = rl::domain_precheck(std::vector<float>(input, input + count), seen_width, seen_height);
    const rl::Answer a = rl::postprocess_answer(g_card, std::vector<float>(probs, probs + g_card.labels.size()),
                                                rl::domain_judge(g_card, precheck, distance));
    return text_return(nlohmann::json{{"decision", a.decision}, {"in_domain", a.in_domain}, {"note", a.note}}.dump());
}

// The gatekeeper's verdict on one image from the loaded card's (the MedNIST
// model's) probabilities, for the model named `chosen`: JSON {kind,
// probability, confident, chosen_fits, suggested, message}, or {"error": reason}.
EMSCRIPTEN_KEEPALIVE const char* rl_gatekeeper_judge(const char* gatekeeper_json, const float* probs, const char* chosen) {
    rl::Gatekeeper gatekeeper;
    const rl::Status s = rl::gatekeeper_parse(gatekeeper_json, &gatekeeper);
    if (!s.ok()) return text_return(nlohmann::json{{"error", s.message}}.dump());
    const rl::GatekeeperVerdict v = rl::gatekeeper_judge(
        gatekeeper, g_card.labels, std::vector<float>(probs, probs + g_card.labels.size()), chosen);
    return text_return(nlohmann::json{{"kind", v.kind}, {"probability", v.probability}, {"confident", v.confident},
                                      {"chosen_fits", v.chosen_fits}, {"suggested", v.suggested}, {"message", v.message}}
                           .dump());
}

// The CPU twin of shaders/display.frag (tests compare the two): a 16-bit
// image [height, width], as the model saw it, with its raw activation map
// [cam_height, cam_width] (null: none) from a model whose input is spec_width
// x spec_height fitted by `resize` after `scaling`. Writes RGBA8 [height,
// width, 4] to out, and where the map lies (scale_x, bias_x, scale_y, bias_y)
// to placement_out.
EMSCRIPTEN_KEEPALIVE const char* rl_display_render(const uint16_t* pixels, int width, int height, int max_value, double center,
                                                   double window_width, int invert, float heat_opacity, const float* cam,
                                                   int cam_width, int cam_height, int spec_width, int spec_height,
                                                   const char* resize, const char* scaling, uint8_t* out, float* placement_out) {
    rl::GrayImage image{width, height, uint16_t(max_value), std::vector<uint16_t>(pixels, pixels + size_t(width) * height)};
    rl::InputSpec spec;
    spec.width = spec_width;
    spec.height = spec_height;
    if (!rl::resize_policy_parse(resize, &spec.resize)) return text_return(std::string("unknown resize policy ") + resize);
    if (!rl::intensity_scaling_parse(scaling, &spec.scaling)) return text_return(std::string("unknown scaling ") + scaling);
    rl::DisplayParams params;
    params.window = {center, window_width};
    params.invert = invert != 0;
    params.heat_opacity = heat_opacity;
    const std::vector<float> normalised = cam ? rl::display_cam_normalised(cam, cam_width, cam_height) : std::vector<float>{};
    const rl::CamPlacement p = rl::display_cam_placement(rl::preprocess_region(image, spec), spec, cam_width, cam_height);
    const std::vector<uint8_t> rgba = rl::display_render(image, params, normalised, cam_width, cam_height, p);
    std::copy(rgba.begin(), rgba.end(), out);
    placement_out[0] = p.scale_x, placement_out[1] = p.bias_x, placement_out[2] = p.scale_y, placement_out[3] = p.bias_y;
    return "";
}

}  // extern "C"
