// Image decoding. PNG and JPEG go through stb_image (only those two formats
// compiled in). Binary PGM/PPM is read here: stb 2.27's PNM loader ignores
// short reads (uninitialised pixels) and returns 16-bit samples byte-swapped.
#include "image_decode.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_FAILURE_USERMSG
#define STBI_MAX_DIMENSIONS 16384  // = kImageMaxSidePx; stb needs a literal
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#include <stb_image.h>
#pragma GCC diagnostic pop

namespace rl {
namespace {

static_assert(STBI_MAX_DIMENSIONS == kImageMaxSidePx, "keep stb's cap in step");

constexpr size_t kFileMaxBytes = size_t(512) << 20;  // refuse to read larger files

enum class Format { png, jpeg, pnm, unknown };

Format format_sniff(const uint8_t* b, size_t n) {
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (n >= 8 && std::memcmp(b, png_sig, 8) == 0) return Format::png;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Format::jpeg;
    if (n >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7') return Format::pnm;
    return Format::unknown;
}

Status size_check(long long width, long long height) {
    if (width <= 0 || height <= 0) return Status::failure("zero-sized image (" + std::to_string(width) + "x" + std::to_string(height) + ")");
    if (width > kImageMaxSidePx || height > kImageMaxSidePx || size_t(width) * size_t(height) > kImageMaxPixels)
        return Status::failure("image too large (" + std::to_string(width) + "x" + std::to_string(height) +
                               "; limit " + std::to_string(kImageMaxSidePx) + " px a side, " +
                               std::to_string(kImageMaxPixels >> 20) + " Mpx)");
    return Status::success();
}

uint32_t be16(const uint8_t* p) { return uint32_t(p[0]) << 8 | p[1]; }
uint32_t be32(const uint8_t* p) { return be16(p) << 16 | be16(p + 2); }

Status corrupt_jpeg(const std::string& why) { return Status::failure("corrupt JPEG (" + why + ")"); }

Status jpeg_huffman_check(const uint8_t* seg, size_t len) {
    for (size_t i = 0; i < len;) {
        if (i + 17 > len) return corrupt_jpeg("Huffman table header cut short");
        if ((seg[i] >> 4) > 1 || (seg[i] & 15) > 3) return corrupt_jpeg("bad Huffman table id");
        size_t codes = 0;
        for (size_t k = 1; k <= 16; ++k) codes += seg[i + k];
        if (codes > 256) return corrupt_jpeg("Huffman table with " + std::to_string(codes) + " codes; at most 256");
        i += 17 + codes;
        if (i > len) return corrupt_jpeg("Huffman table runs past its segment");
    }
    return Status::success();
}

// Walks a JPEG's marker segments before stb sees them, rejecting what stb
// 2.27 mishandles: Huffman tables of more than 256 codes (it writes past its
// arrays; fixed in 2.28) and a stream cut before the end-of-image marker (it
// fills the missing scan with zeros). Reports the frame size the header
// declares, so an oversized image is refused by name.
Status jpeg_check(const uint8_t* b, size_t n, long long* width, long long* height) {
    const Status truncated = Status::failure("truncated JPEG (no end-of-image marker after the last scan)");
    bool have_frame = false;
    for (size_t i = 2;;) {
        if (i + 2 > n) return truncated;
        if (b[i] != 0xFF) return corrupt_jpeg("no marker at byte " + std::to_string(i));
        const uint8_t marker = b[i + 1];
        if (marker == 0xFF) { ++i; continue; }  // fill byte
        if (marker == 0xD9) return have_frame ? Status::success() : corrupt_jpeg("no frame header");
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) { i += 2; continue; }  // no length field
        if (i + 4 > n) return truncated;
        const size_t length = be16(b + i + 2);  // counts itself, not the marker
        if (length < 2 || i + 2 + length > n) return truncated;
        const uint8_t* seg = b + i + 4;
        const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (length < 7) return corrupt_jpeg("frame header cut short");
            *height = be16(seg + 1);
            *width = be16(seg + 3);
            have_frame = true;
            Status s = size_check(*width, *height);
            if (!s.ok()) return s;
        }
        if (marker == 0xC4) {
            Status s = jpeg_huffman_check(seg, length - 2);
            if (!s.ok()) return s;
        }
        i += 2 + length;
        if (marker == 0xDA)  // entropy-coded data: 0xFF is stuffed (FF 00) or a restart marker inside it
            while (i + 1 < n && !(b[i] == 0xFF && b[i + 1] != 0x00 && !(b[i + 1] >= 0xD0 && b[i + 1] <= 0xD7))) ++i;
    }
}

// PNG's first chunk is IHDR, with the size at a fixed place.
Status png_check(const uint8_t* b, size_t n) {
    if (n < 24 || std::memcmp(b + 12, "IHDR", 4) != 0) return Status::failure("corrupt PNG (no IHDR chunk first)");
    return size_check(be32(b + 16), be32(b + 20));
}

template <typename T>
void gray_from_channels(const T* src, int channels, GrayImage* out) {
    const size_t n = out->pixels.size();
    for (size_t i = 0; i < n; ++i) {
        const T* p = src + i * size_t(channels);
        out->pixels[i] = channels >= 3 ? image_luma(p[0], p[1], p[2])
                                       : uint16_t(p[0]);  // grey, or grey + alpha
    }
}

Status stb_decode(const uint8_t* b, size_t n, Format format, GrayImage* out) {
    if (n > size_t(INT32_MAX)) return Status::failure("file too large for the decoder");
    long long declared_width = 0, declared_height = 0;
    Status s = format == Format::png ? png_check(b, n) : jpeg_check(b, n, &declared_width, &declared_height);
    if (!s.ok()) return s;
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(b, int(n), &width, &height, &channels))
        return Status::failure(std::string("corrupt or unsupported header (") + stbi_failure_reason() + ")");

    const bool is_16_bit = stbi_is_16_bit_from_memory(b, int(n));
    void* data = is_16_bit ? static_cast<void*>(stbi_load_16_from_memory(b, int(n), &width, &height, &channels, 0))
                           : static_cast<void*>(stbi_load_from_memory(b, int(n), &width, &height, &channels, 0));
    if (!data) return Status::failure(std::string("corrupt or truncated image data (") + stbi_failure_reason() + ")");
    out->width = width;
    out->height = height;
    out->max_value = is_16_bit ? 65535 : 255;
    out->pixels.resize(size_t(width) * size_t(height));
    if (is_16_bit)
        gray_from_channels(static_cast<const uint16_t*>(data), channels, out);
    else
        gray_from_channels(static_cast<const uint8_t*>(data), channels, out);
    stbi_image_free(data);
    return Status::success();
}

// Reads the next header integer of a PNM file, skipping whitespace and # comments.
bool pnm_read_int(const uint8_t* b, size_t n, size_t* pos, long long* value) {
    size_t i = *pos;
    for (;;) {
        while (i < n && std::isspace(b[i])) ++i;
        if (i < n && b[i] == '#') {
            while (i < n && b[i] != '\n' && b[i] != '\r') ++i;
            continue;
        }
        break;
    }
    if (i >= n || b[i] < '0' || b[i] > '9') return false;
    long long v = 0;
    while (i < n && b[i] >= '0' && b[i] <= '9') {
        v = v * 10 + (b[i] - '0');
        if (v > INT32_MAX) return false;
        ++i;
    }
    *pos = i;
    *value = v;
    return true;
}

Status pnm_decode(const uint8_t* b, size_t n, GrayImage* out) {
    const char kind = char(b[1]);
    if (kind == '2' || kind == '3') return Status::failure("ASCII PGM/PPM (P2/P3) is not supported; save as binary (P5/P6)");
    if (kind != '5' && kind != '6') return Status::failure(std::string("unsupported PNM variant P") + kind + " (only P5 and P6)");
    size_t pos = 2;
    long long width = 0, height = 0, max_value = 0;
    if (!pnm_read_int(b, n, &pos, &width) || !pnm_read_int(b, n, &pos, &height) || !pnm_read_int(b, n, &pos, &max_value))
        return Status::failure("corrupt PNM header");
    if (pos >= n) return Status::failure("truncated PNM (no pixel data)");
    ++pos;  // exactly one whitespace byte separates the header from the samples
    if (max_value < 1 || max_value > 65535)
        return Status::failure("corrupt PNM header (maxval " + std::to_string(max_value) + " outside 1..65535)");
    Status s = size_check(width, height);
    if (!s.ok()) return s;

    const int channels = kind == '6' ? 3 : 1;
    const size_t sample_bytes = max_value > 255 ? 2 : 1;
    const size_t pixel_count = size_t(width) * size_t(height);
    const size_t need = pixel_count * size_t(channels) * sample_bytes;
    if (n - pos < need)
        return Status::failure("truncated PNM (pixel data has " + std::to_string(n - pos) + " of " + std::to_string(need) + " bytes)");

    std::vector<uint16_t> samples(pixel_count * size_t(channels));  // [H, W, C]
    const uint8_t* p = b + pos;
    for (size_t i = 0; i < samples.size(); ++i) {
        const uint16_t v = sample_bytes == 2 ? uint16_t(p[2 * i] << 8 | p[2 * i + 1]) : p[i];  // PNM is big-endian
        if (v > max_value) return Status::failure("corrupt PNM (sample " + std::to_string(v) + " exceeds maxval " + std::to_string(max_value) + ")");
        samples[i] = v;
    }
    out->width = int(width);
    out->height = int(height);
    out->max_value = uint16_t(max_value);
    out->pixels.resize(pixel_count);
    gray_from_channels(samples.data(), channels, out);
    return Status::success();
}

}  // namespace

Status image_decode(const uint8_t* bytes, size_t size, GrayImage* out) {
    *out = GrayImage{};
    if (size == 0) return Status::failure("empty file");
    Status s;
    switch (format_sniff(bytes, size)) {
        case Format::png: s = stb_decode(bytes, size, Format::png, out); break;
        case Format::jpeg: s = stb_decode(bytes, size, Format::jpeg, out); break;
        case Format::pnm: s = pnm_decode(bytes, size, out); break;
        case Format::unknown: s = Status::failure("unsupported format (not PNG, JPEG or binary PGM/PPM)"); break;
    }
    if (!s.ok()) *out = GrayImage{};
    return s;
}

Status image_decode_file(const std::string& path, GrayImage* out) {
    *out = GrayImage{};
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return Status::failure(path + ": cannot open (" + std::strerror(errno) + ")");
    std::vector<uint8_t> bytes;
    uint8_t chunk[1 << 16];
    size_t got = 0;
    while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (bytes.size() + got > kFileMaxBytes) {
            std::fclose(f);
            return Status::failure(path + ": file too large (over " + std::to_string(kFileMaxBytes >> 20) + " MiB)");
        }
        bytes.insert(bytes.end(), chunk, chunk + got);
    }
    const bool read_error = std::ferror(f);
    std::fclose(f);
    if (read_error) return Status::failure(path + ": read error");
    Status s = image_decode(bytes.data(), bytes.size(), out);
    return s.ok() ? s : Status::failure(path + ": " + s.message);
}

}  // namespace rl
