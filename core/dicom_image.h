// A decoded DICOM image and its display pipeline, in the standard's order:
// stored values (bits stored, high bit, sign) -> modality LUT (rescale) ->
// VOI (VOI LUT, window LINEAR / LINEAR_EXACT / SIGMOID, else min-max) ->
// MONOCHROME1 / Presentation LUT Shape inversion -> 8 bits. Colour (RGB,
// YBR_FULL, YBR_FULL_422) is converted to RGB. The arithmetic follows DCMTK's
// dcmimgle so a rendering equals dcm2pnm's. Parsing and decompression happen
// outside core (DCMTK natively, dicom-parser and codecs in JavaScript); both
// hand over the attributes and the uncompressed pixel words.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "image_decode.h"
#include "status.h"

namespace rl {

struct DicomWindow {
    double center = 0;
    double width = 0;
    std::string explanation;  // Window Center & Width Explanation, may be empty
};

struct DicomVoiLut {
    int entries = 0;              // descriptor[0] (0 already read as 65536)
    int first_mapped = 0;         // descriptor[1] as stored (US; read as SS for signed data)
    int bits = 16;                // descriptor[2]
    std::vector<uint16_t> data;   // LUT Data words as stored (8-bit LUTs may be packed two a word)
    std::string explanation;
};

// The attributes the pipeline and the header panel need. Patient identifiers
// are deliberately absent: nothing downstream can show or export them.
struct DicomHeader {
    std::string transfer_syntax;       // UID
    std::string modality, body_part, view_position, laterality, series_description;
    std::string photometric_in_file;   // as the file says (shown in the panel)
    std::string photometric;           // of the handed-over words: a JPEG decoder may have made YBR RGB
    int rows = 0, columns = 0, frames = 1, samples_per_pixel = 1, planar_configuration = 0;
    int bits_allocated = 16, bits_stored = 16, high_bit = 15, pixel_representation = 0;
    double rescale_slope = 1, rescale_intercept = 0;
    std::string rescale_type;
    double pixel_spacing_mm[2] = {0, 0};  // row, column spacing; 0: absent
    std::vector<DicomWindow> windows;
    std::vector<DicomVoiLut> voi_luts;
    std::string voi_function;            // "", LINEAR, LINEAR_EXACT, SIGMOID
    std::string presentation_lut_shape;  // "", IDENTITY, INVERSE
};

struct DicomImage {
    DicomHeader header;
    // Stored values after bits stored / high bit / sign, [frames, rows,
    // columns, samples]; colour already in RGB order and interleaved.
    std::vector<int32_t> samples;
};

// How a grayscale image is mapped to 8 bits.
struct DicomVoi {
    enum Kind { kWindow, kLut, kMinMax } kind = kMinMax;
    int index = 0;            // which window or LUT
    bool all_frames = false;  // min-max over every frame (frames then compare), else over the shown one
};

struct DicomVoiPreset {
    DicomVoi voi;
    std::string label;  // what a clinician reads: "Window 1: C 763 W 1639 (BRAIN)"
};

// An 8-bit rendering: 1 channel (grey) or 3 (RGB), row-major, interleaved.
struct DicomRendering {
    int width = 0, height = 0, channels = 1;
    std::vector<uint8_t> pixels;
};

bool dicom_is_colour(const DicomHeader& header);

// Builds `out` from the header and the uncompressed Pixel Data of all frames
// (little-endian words as decoders produce them, `bits_allocated` 8 or 16).
// Checks sizes, so hostile attributes yield a Status; `name` (if not empty)
// starts messages.
Status dicom_image_from_words(const DicomHeader& header, const uint8_t* words, size_t size, const std::string& name,
                              DicomImage* out);

// The file's VOI choices in DCMTK's default order (first window, else first
// VOI LUT, else min-max), each VOI LUT and window listed, min-max last.
std::vector<DicomVoiPreset> dicom_voi_presets(const DicomImage& image);

// Renders `frame` (0-based). Min-max looks at that frame, as dcm2pnm
// --frame N does, or at all frames, as dcm2pnm --all-frames does.
Status dicom_render(const DicomImage& image, int frame, const DicomVoi& voi, DicomRendering* out);

// A frame through a VOI, colour averaged to grey with image_decode's
// weights, so a DICOM and its 8-bit PNG export give the same model input.
Status dicom_gray(const DicomImage& image, int frame, const DicomVoi& voi, GrayImage* out);

// The model's view of a file, the same in the app, classify and the trainer:
// frame 1 through the first preset (the file's own choice), in grey.
Status dicom_model_view(const DicomImage& image, GrayImage* out);

// The header as JSON (for the app's panel) and back (JavaScript's parser
// hands the header to the wasm core this way).
std::string dicom_header_json(const DicomHeader& header);
Status dicom_header_parse(const std::string& json, DicomHeader* out);

}  // namespace rl
