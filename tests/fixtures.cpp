// Builders for test images; see fixtures.h.
#include "fixtures.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <zlib.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb_image_write.h>
#pragma GCC diagnostic pop

namespace rl_test {
namespace {

void be32_push(Bytes* out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out->push_back(uint8_t(v >> shift));
}

void png_chunk_push(Bytes* out, const char* type, const Bytes& data) {
    be32_push(out, uint32_t(data.size()));
    Bytes typed(type, type + 4);
    typed.insert(typed.end(), data.begin(), data.end());
    out->insert(out->end(), typed.begin(), typed.end());
    be32_push(out, uint32_t(crc32(0, typed.data(), uInt(typed.size()))));
}

Bytes png_ihdr(uint32_t width, uint32_t height, uint8_t bit_depth, uint8_t colour_type) {
    Bytes ihdr;
    be32_push(&ihdr, width);
    be32_push(&ihdr, height);
    ihdr.insert(ihdr.end(), {bit_depth, colour_type, 0, 0, 0});
    return ihdr;
}

const Bytes kPngSignature = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

void stb_collect(void* context, void* data, int size) {
    auto* out = static_cast<Bytes*>(context);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

}  // namespace

Bytes png8_encode(int width, int height, int channels, const std::vector<uint8_t>& samples) {
    Bytes out;
    if (!stbi_write_png_to_func(stb_collect, &out, width, height, channels, samples.data(), width * channels))
        throw std::runtime_error("stbi_write_png failed");
    return out;
}

Bytes png16_encode(int width, int height, int channels, const std::vector<uint16_t>& samples) {
    Bytes raw;  // each row: filter byte 0 (none), then big-endian samples
    for (int y = 0; y < height; ++y) {
        raw.push_back(0);
        for (int i = 0; i < width * channels; ++i) {
            const uint16_t v = samples[size_t(y) * size_t(width * channels) + size_t(i)];
            raw.push_back(uint8_t(v >> 8));
            raw.push_back(uint8_t(v & 0xFF));
        }
    }
    uLongf packed_size = compressBound(uLong(raw.size()));
    Bytes packed(packed_size);
    if (compress(packed.data(), &packed_size, raw.data(), uLong(raw.size())) != Z_OK) throw std::runtime_error("zlib failed");
    packed.resize(packed_size);
    Bytes out = kPngSignature;
    png_chunk_push(&out, "IHDR", png_ihdr(uint32_t(width), uint32_t(height), 16, channels == 3 ? 2 : 0));
    png_chunk_push(&out, "IDAT", packed);
    png_chunk_push(&out, "IEND", {});
    return out;
}

Bytes png_header_only(uint32_t width, uint32_t height) {
    Bytes out = kPngSignature;
    png_chunk_push(&out, "IHDR", png_ihdr(width, height, 8, 0));
    png_chunk_push(&out, "IEND", {});
    return out;
}

Bytes jpeg_encode(int width, int height, int channels, const std::vector<uint8_t>& samples, int quality) {
    Bytes out;
    if (!stbi_write_jpg_to_func(stb_collect, &out, width, height, channels, samples.data(), quality))
        throw std::runtime_error("stbi_write_jpg failed");
    return out;
}

Bytes pnm_encode(int width, int height, int channels, int max_value, const std::vector<uint16_t>& samples) {
    const std::string header = std::string(channels == 3 ? "P6" : "P5") + "\n# radiolens test\n" + std::to_string(width) + " " +
                               std::to_string(height) + "\n" + std::to_string(max_value) + "\n";
    Bytes out(header.begin(), header.end());
    for (uint16_t v : samples) {
        if (max_value > 255) out.push_back(uint8_t(v >> 8));
        out.push_back(uint8_t(v & 0xFF));
    }
    return out;
}

void file_write(const std::string& path, const Bytes& bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())) throw std::runtime_error("cannot write " + path);
    std::fclose(f);
}

std::string data_dir() {
    const char* env = std::getenv("RL_DATA_DIR");
    return env && *env ? env : RL_DEFAULT_DATA_DIR;
}

}  // namespace rl_test
