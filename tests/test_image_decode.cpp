// image_decode: round trips for every format and bit depth, and hostile input
// that must give an error with a reason, never a crash (run under ASan/UBSan).
#include "image_decode.h"

#include <gtest/gtest.h>

#include <random>

#include "fixtures.h"

using rl::GrayImage;
using rl_test::Bytes;

namespace {

rl::Status decode(const Bytes& b, GrayImage* img) { return rl::image_decode(b.data(), b.size(), img); }

template <typename T>
std::vector<T> ramp(size_t n, uint32_t max_value, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<T> v(n);
    for (T& x : v) x = T(rng() % (max_value + 1));
    return v;
}

std::vector<uint16_t> widened(const std::vector<uint8_t>& v) { return std::vector<uint16_t>(v.begin(), v.end()); }

// Colour samples where r = g = b: luma must equal the grey value exactly.
template <typename T>
std::vector<T> grey_as_rgb(const std::vector<T>& grey) {
    std::vector<T> rgb;
    for (T g : grey) rgb.insert(rgb.end(), {g, g, g});
    return rgb;
}

}  // namespace

TEST(ImageDecode, Png8BitGreyRoundTripsExactly) {
    const auto grey = ramp<uint8_t>(7 * 5, 255, 1);
    GrayImage img;
    ASSERT_TRUE(decode(rl_test::png8_encode(7, 5, 1, grey), &img).ok());
    EXPECT_EQ(img.width, 7);
    EXPECT_EQ(img.height, 5);
    EXPECT_EQ(img.max_value, 255);
    EXPECT_EQ(img.pixels, widened(grey));
}

TEST(ImageDecode, Png16BitGreyKeepsFullPrecision) {
    auto grey = ramp<uint16_t>(9 * 4, 65535, 2);
    grey[0] = 1;       // adjacent values that 8 bits would merge
    grey[1] = 2;
    grey[2] = 65535;
    GrayImage img;
    ASSERT_TRUE(decode(rl_test::png16_encode(9, 4, 1, grey), &img).ok());
    EXPECT_EQ(img.max_value, 65535);
    EXPECT_EQ(img.pixels, grey);
}

TEST(ImageDecode, ColourBecomesLumaWithStbWeights) {
    // Pure red, green, blue, white: (77 r + 150 g + 29 b) >> 8.
    const std::vector<uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
    GrayImage img;
    ASSERT_TRUE(decode(rl_test::png8_encode(4, 1, 3, rgb), &img).ok());
    EXPECT_EQ(img.pixels, (std::vector<uint16_t>{76, 149, 28, 255}));

    const std::vector<uint16_t> rgb16 = {65535, 0, 0, 1000, 1000, 1000};
    ASSERT_TRUE(decode(rl_test::png16_encode(2, 1, 3, rgb16), &img).ok());
    EXPECT_EQ(img.pixels, (std::vector<uint16_t>{uint16_t(65535u * 77 >> 8), 1000}));
}

TEST(ImageDecode, AlphaChannelIsIgnored) {
    const std::vector<uint8_t> grey_alpha = {10, 0, 200, 255};
    GrayImage img;
    ASSERT_TRUE(decode(rl_test::png8_encode(2, 1, 2, grey_alpha), &img).ok());
    EXPECT_EQ(img.pixels, (std::vector<uint16_t>{10, 200}));
    const std::vector<uint8_t> rgba = {50, 50, 50, 0, 90, 90, 90, 128};
    ASSERT_TRUE(decode(rl_test::png8_encode(2, 1, 4, rgba), &img).ok());
    EXPECT_EQ(img.pixels, (std::vector<uint16_t>{50, 90}));
}

TEST(ImageDecode, PgmAndPpmRoundTripAtEveryDepth) {
    for (int max_value : {255, 4095, 65535, 15}) {
        SCOPED_TRACE(max_value);
        const auto grey = ramp<uint16_t>(6 * 3, uint32_t(max_value), uint32_t(max_value));
        GrayImage img;
        ASSERT_TRUE(decode(rl_test::pnm_encode(6, 3, 1, max_value, grey), &img).ok());
        EXPECT_EQ(img.max_value, max_value);
        EXPECT_EQ(img.pixels, grey);  // byte order right for 16-bit
        ASSERT_TRUE(decode(rl_test::pnm_encode(6, 3, 3, max_value, grey_as_rgb(grey)), &img).ok());
        EXPECT_EQ(img.pixels, grey);
    }
}

TEST(ImageDecode, JpegDecodesCloseToTheSource) {
    std::vector<uint8_t> grey(16 * 16);
    for (int i = 0; i < 256; ++i) grey[size_t(i)] = uint8_t((i % 16) * 16);  // smooth horizontal ramp
    GrayImage img;
    ASSERT_TRUE(decode(rl_test::jpeg_encode(16, 16, 1, grey, 100), &img).ok());
    ASSERT_EQ(img.pixels.size(), grey.size());
    for (size_t i = 0; i < grey.size(); ++i) EXPECT_NEAR(img.pixels[i], grey[i], 6) << i;
    ASSERT_TRUE(decode(rl_test::jpeg_encode(16, 16, 3, grey_as_rgb(grey), 100), &img).ok());
    for (size_t i = 0; i < grey.size(); ++i) EXPECT_NEAR(img.pixels[i], grey[i], 6) << i;
}

TEST(ImageDecode, RealDatasetImagesDecode) {
    const std::string dir = rl_test::data_dir();
    struct Case { const char* path; int width, height; };
    for (const Case& c : {Case{"/mednist/MedNIST/Hand/000000.jpeg", 64, 64}, Case{"/chest_nih14/images/00000001_000.jpg", 64, 64},
                          Case{"/mammo_mias/all-mias/mdb001.jpg", 256, 256},
                          Case{"/chest_pneumonia/chest_xray/test/NORMAL/IM-0001-0001.jpeg", 224, 224}}) {
        GrayImage img;
        const rl::Status s = rl::image_decode_file(dir + c.path, &img);
        ASSERT_TRUE(s.ok()) << s.message;
        EXPECT_EQ(img.width, c.width) << c.path;
        EXPECT_EQ(img.height, c.height) << c.path;
    }
}

TEST(ImageDecode, MissingFileIsNamedInTheMessage) {
    GrayImage img;
    const rl::Status s = rl::image_decode_file("/nonexistent/scan.png", &img);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message.rfind("/nonexistent/scan.png: cannot open", 0), 0u) << s.message;
}

TEST(ImageDecodeHostile, EmptyInputSaysEmpty) {
    GrayImage img;
    EXPECT_EQ(rl::image_decode(nullptr, 0, &img).message, "empty file");
}

TEST(ImageDecodeHostile, UnknownFormatsAreNamedUnsupported) {
    GrayImage img;
    for (const std::string text : {"hello world", "GIF89a......", "BM6\x01\x00\x00", "DICM"}) {
        const Bytes b(text.begin(), text.end());
        const rl::Status s = decode(b, &img);
        ASSERT_FALSE(s.ok());
        EXPECT_NE(s.message.find("unsupported format"), std::string::npos) << s.message;
    }
}

TEST(ImageDecodeHostile, AsciiPnmIsRefusedWithAReason) {
    const std::string text = "P2\n2 1\n255\n0 255\n";
    GrayImage img;
    const rl::Status s = decode(Bytes(text.begin(), text.end()), &img);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message.find("ASCII"), std::string::npos) << s.message;
}

TEST(ImageDecodeHostile, EveryTruncationFails) {
    const auto grey8 = ramp<uint8_t>(12 * 10, 255, 3);
    const auto grey16 = ramp<uint16_t>(12 * 10, 65535, 4);
    struct Case { const char* name; Bytes bytes; size_t tail_allowed; };
    const std::vector<Case> cases = {
        {"png8", rl_test::png8_encode(12, 10, 1, grey8), 12},     // a missing IEND chunk loses no pixels
        {"png16", rl_test::png16_encode(12, 10, 1, grey16), 12},
        {"jpeg", rl_test::jpeg_encode(12, 10, 1, grey8, 90), 0},
        {"pgm8", rl_test::pnm_encode(12, 10, 1, 255, widened(grey8)), 0},
        {"pgm16", rl_test::pnm_encode(12, 10, 1, 65535, grey16), 0},
        {"ppm8", rl_test::pnm_encode(12, 10, 3, 255, grey_as_rgb(widened(grey8))), 0},
    };
    for (const Case& c : cases) {
        GrayImage img;
        ASSERT_TRUE(decode(c.bytes, &img).ok()) << c.name;
        for (size_t cut = 1; cut + c.tail_allowed < c.bytes.size(); ++cut) {
            const Bytes head(c.bytes.begin(), c.bytes.begin() + long(cut));
            const rl::Status s = decode(head, &img);
            ASSERT_FALSE(s.ok()) << c.name << " cut at " << cut << " of " << c.bytes.size();
            EXPECT_FALSE(s.message.empty());
            EXPECT_TRUE(img.pixels.empty());
        }
    }
}

TEST(ImageDecodeHostile, TruncationIsReportedAsSuch) {
    GrayImage img;
    Bytes pgm = rl_test::pnm_encode(10, 10, 1, 255, std::vector<uint16_t>(100, 7));
    pgm.resize(pgm.size() - 1);
    EXPECT_NE(decode(pgm, &img).message.find("truncated PNM"), std::string::npos);
    Bytes jpeg = rl_test::jpeg_encode(16, 16, 1, std::vector<uint8_t>(256, 100), 90);
    jpeg.resize(jpeg.size() / 2);
    EXPECT_NE(decode(jpeg, &img).message.find("truncated JPEG"), std::string::npos);
}

// stb 2.27 writes past its Huffman arrays when a table declares over 256 codes.
TEST(ImageDecodeHostile, OversizedJpegHuffmanTableIsRefused) {
    Bytes jpeg = rl_test::jpeg_encode(16, 16, 1, std::vector<uint8_t>(256, 100), 90);
    size_t dht = 0;
    while (dht + 1 < jpeg.size() && !(jpeg[dht] == 0xFF && jpeg[dht + 1] == 0xC4)) ++dht;
    ASSERT_LT(dht + 21, jpeg.size());
    for (size_t k = 0; k < 16; ++k) jpeg[dht + 5 + k] = 20;  // 16 lengths x 20 = 320 codes
    GrayImage img;
    const rl::Status s = decode(jpeg, &img);
    EXPECT_NE(s.message.find("Huffman table with 320 codes"), std::string::npos) << s.message;
}

TEST(ImageDecodeHostile, HugeDeclaredSizesAreRefusedBeforeAllocating) {
    GrayImage img;
    for (const auto& [w, h] : std::vector<std::pair<uint32_t, uint32_t>>{{100000, 100000}, {16384, 16384}, {1, 20000}}) {
        const rl::Status s = decode(rl_test::png_header_only(w, h), &img);
        ASSERT_FALSE(s.ok()) << w << "x" << h;
        EXPECT_NE(s.message.find("too large"), std::string::npos) << s.message;
    }
    const std::string pgm = "P5 16384 16384 65535\n\x01\x02";
    const rl::Status s = decode(Bytes(pgm.begin(), pgm.end()), &img);
    EXPECT_NE(s.message.find("too large"), std::string::npos) << s.message;
}

TEST(ImageDecodeHostile, ZeroSizesAndLyingPnmHeadersFail) {
    GrayImage img;
    EXPECT_NE(decode(rl_test::png_header_only(0, 10), &img).message, "");
    for (const std::string& text : {std::string("P5 0 10 255\n"), std::string("P5 10 10 0\n") + std::string(100, 'a'),
                                   std::string("P5 10 10 70000\n") + std::string(200, 'a'), std::string("P5 10 x 255\n"),
                                   std::string("P5 99999999999 1 255\n"), std::string("P5 2 1 100\n\xff\x00")}) {
        const rl::Status s = decode(Bytes(text.begin(), text.end()), &img);
        EXPECT_FALSE(s.ok()) << text;
        EXPECT_FALSE(s.message.empty());
    }
}

TEST(ImageDecodeHostile, RandomBytesNeverDecodeOrCrash) {
    std::mt19937 rng(5);
    GrayImage img;
    const std::vector<Bytes> prefixes = {{}, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, {0xFF, 0xD8, 0xFF}, {'P', '5'}, {'P', '6'}};
    for (int i = 0; i < 2000; ++i) {
        Bytes b = prefixes[size_t(i) % prefixes.size()];
        const size_t n = rng() % 600;
        for (size_t k = 0; k < n; ++k) b.push_back(uint8_t(rng()));
        const rl::Status s = decode(b, &img);
        EXPECT_FALSE(s.ok()) << "random input " << i << " decoded";
    }
}

// Mutates valid files byte by byte: whatever decodes must be self-consistent.
TEST(ImageDecodeHostile, MutatedFilesFailCleanlyOrDecodeConsistently) {
    const auto grey8 = ramp<uint8_t>(24 * 20, 255, 6);
    const std::vector<Bytes> seeds = {
        rl_test::png8_encode(24, 20, 1, grey8), rl_test::png16_encode(24, 20, 3, ramp<uint16_t>(24 * 20 * 3, 65535, 7)),
        rl_test::jpeg_encode(24, 20, 1, grey8, 80), rl_test::jpeg_encode(24, 20, 3, grey_as_rgb(grey8), 80),
        rl_test::pnm_encode(24, 20, 1, 4095, ramp<uint16_t>(24 * 20, 4095, 8))};
    std::mt19937 rng(9);
    GrayImage img;
    for (int i = 0; i < 6000; ++i) {
        Bytes b = seeds[size_t(i) % seeds.size()];
        for (int flips = 1 + int(rng() % 4); flips > 0; --flips) b[rng() % b.size()] = uint8_t(rng());
        if (!decode(b, &img).ok()) {
            EXPECT_TRUE(img.pixels.empty());
            continue;
        }
        ASSERT_GT(img.width, 0);
        ASSERT_LE(img.width, rl::kImageMaxSidePx);
        ASSERT_EQ(img.pixels.size(), size_t(img.width) * size_t(img.height));
        for (uint16_t v : img.pixels) ASSERT_LE(v, img.max_value);
    }
}
