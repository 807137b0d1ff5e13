// Writes the formats and bit depths the shared data lacks (16-bit PNG and PGM,
// 12-bit PGM, colour PPM and PNG, odd sizes) into a folder, for the
// wasm/native parity test.   fixture_write OUT_DIR
#include <cstdio>
#include <string>

#include "fixtures.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const int w = 97, h = 61;  // odd, non-square: exercises padding and cropping
    std::vector<uint16_t> grey16(size_t(w) * h), rgb16;
    std::vector<uint8_t> rgb8;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const uint16_t v = uint16_t((x * 677 + y * 1031 + x * y * 13) % 65536);
            grey16[size_t(y) * w + x] = v;
            rgb16.insert(rgb16.end(), {v, uint16_t(65535 - v), uint16_t(v / 2)});
            rgb8.insert(rgb8.end(), {uint8_t(v >> 8), uint8_t(x * 2), uint8_t(y * 4)});
        }
    std::vector<uint16_t> grey12(grey16);
    for (uint16_t& v : grey12) v >>= 4;
    rl_test::file_write(dir + "/grey16.png", rl_test::png16_encode(w, h, 1, grey16));
    rl_test::file_write(dir + "/rgb16.png", rl_test::png16_encode(w, h, 3, rgb16));
    rl_test::file_write(dir + "/rgb8.png", rl_test::png8_encode(w, h, 3, rgb8));
    rl_test::file_write(dir + "/rgb8.jpg", rl_test::jpeg_encode(w, h, 3, rgb8, 90));
    rl_test::file_write(dir + "/grey16.pgm", rl_test::pnm_encode(w, h, 1, 65535, grey16));
    rl_test::file_write(dir + "/grey12.pgm", rl_test::pnm_encode(w, h, 1, 4095, grey12));
    rl_test::file_write(dir + "/rgb16.ppm", rl_test::pnm_encode(w, h, 3, 65535, rgb16));
    rl_test::file_write(dir + "/truncated.pgm", rl_test::pnm_encode(w, h - 1, 1, 65535, grey16));
    return 0;
}
