// Decodes PNG, JPEG and binary PGM/PPM (8- or 16-bit, grey or colour) into one
// grayscale buffer that keeps 16-bit precision. Hostile input yields a Status,
// never a crash: formats are limited, sizes capped, truncation detected.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace rl {

constexpr int kImageMaxSidePx = 16384;                 // longest side accepted
constexpr size_t kImageMaxPixels = size_t(64) << 20;   // 64 Mpx, 128 MB as uint16

struct GrayImage {
    int width = 0;
    int height = 0;
    uint16_t max_value = 255;       // full-scale sample: 255, 65535, or a PNM maxval
    std::vector<uint16_t> pixels;   // [height, width], row-major, 0..max_value
};

// Colour to luma with stb's own integer weights (BT.601, sum 256); DICOM
// colour goes through the same weights so a PNG export gives the same grey.
inline uint16_t image_luma(uint32_t r, uint32_t g, uint32_t b) { return uint16_t((r * 77 + g * 150 + b * 29) >> 8); }

// Decodes an in-memory file. On failure `out` is left empty.
Status image_decode(const uint8_t* bytes, size_t size, GrayImage* out);

// Reads and decodes a file; failure messages start with the path.
Status image_decode_file(const std::string& path, GrayImage* out);

}  // namespace rl
