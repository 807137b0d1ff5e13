// Test images built in memory: PNG (8-bit through stb_image_write, 16-bit
// encoded here with zlib), JPEG, and binary PGM/PPM of any maxval.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rl_test {

using Bytes = std::vector<uint8_t>;

// samples: [height, width, channels]; values 0..255.
Bytes png8_encode(int width, int height, int channels, const std::vector<uint8_t>& samples);
// samples: [height, width, channels], channels 1 (grey) or 3 (RGB).
Bytes png16_encode(int width, int height, int channels, const std::vector<uint16_t>& samples);
Bytes jpeg_encode(int width, int height, int channels, const std::vector<uint8_t>& samples, int quality);
// P5 (channels 1) or P6 (channels 3); two bytes a sample, big-endian, when max_value > 255.
Bytes pnm_encode(int width, int height, int channels, int max_value, const std::vector<uint16_t>& samples);
// A PNG whose IHDR declares this size (valid CRC) but holds no image data.
Bytes png_header_only(uint32_t width, uint32_t height);

void file_write(const std::string& path, const Bytes& bytes);
// ../shared/data unless RL_DATA_DIR says otherwise.
std::string data_dir();

}  // namespace rl_test
