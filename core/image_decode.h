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

// Decodes an in-memory file. On failure `out` is left empty.
Status image_decode(const uint8_t* bytes, size_t size, GrayImage* out);

// Reads and decodes a file; failure messages start with the path.
Status image_decode_file(const std::string& path, GrayImage* out);

}  // namespace rl
