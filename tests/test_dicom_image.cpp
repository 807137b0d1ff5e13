// The DICOM display pipeline on small synthetic images whose right answer
// follows from PS3.3 C.11 (the real files are in test_dicom_file).
#include <gtest/gtest.h>

#include <algorithm>

#include "dicom_image.h"

namespace {

rl::DicomHeader mono(int columns, int bits_stored, int high_bit, int pixel_representation) {
    rl::DicomHeader h;
    h.photometric = h.photometric_in_file = "MONOCHROME2";
    h.rows = 1;
    h.columns = columns;
    h.bits_allocated = 16;
    h.bits_stored = bits_stored;
    h.high_bit = high_bit;
    h.pixel_representation = pixel_representation;
    return h;
}

std::vector<uint8_t> words16(const std::vector<uint16_t>& v) {
    std::vector<uint8_t> b;
    for (uint16_t w : v) b.insert(b.end(), {uint8_t(w & 0xff), uint8_t(w >> 8)});
    return b;
}

rl::DicomImage image_of(const rl::DicomHeader& h, const std::vector<uint16_t>& v) {
    rl::DicomImage image;
    const auto b = words16(v);
    const rl::Status s = rl::dicom_image_from_words(h, b.data(), b.size(), "t.dcm", &image);
    EXPECT_TRUE(s.ok()) << s.message;
    return image;
}

std::vector<uint8_t> render(const rl::DicomImage& image, rl::DicomVoi voi) {
    rl::DicomRendering r;
    const rl::Status s = rl::dicom_render(image, 0, voi, &r);
    EXPECT_TRUE(s.ok()) << s.message;
    return r.pixels;
}

TEST(DicomImage, StoredValuesHonourHighBitMaskAndSign) {
    // 12 bits stored at bits 12..1 (high bit 12), garbage in bits 15..13 and 0.
    auto h = mono(3, 12, 12, 1);
    const auto image = image_of(h, {uint16_t(0xe000 | (0x7ff << 1) | 1), uint16_t(0x800 << 1), uint16_t(0xfff << 1)});
    EXPECT_EQ(image.samples, (std::vector<int32_t>{2047, -2048, -1}));
}

TEST(DicomImage, WrongPixelDataSizeNamesFileAndSizes) {
    rl::DicomImage image;
    const auto b = words16({1, 2});
    const rl::Status s = rl::dicom_image_from_words(mono(3, 16, 15, 0), b.data(), b.size(), "short.dcm", &image);
    EXPECT_EQ(s.message, "short.dcm: Pixel Data holds 4 bytes, 1 frames of 3 x 1 need 6");
    auto bad = mono(3, 16, 15, 0);
    bad.bits_stored = 17;
    EXPECT_FALSE(rl::dicom_image_from_words(bad, b.data(), b.size(), "x", &image).ok());
    bad = mono(3, 16, 15, 0);
    bad.photometric = "PALETTE COLOR";
    EXPECT_NE(rl::dicom_image_from_words(bad, b.data(), b.size(), "x", &image).message.find("PALETTE COLOR"),
              std::string::npos);
}

TEST(DicomImage, LinearWindowFollowsSupplement33) {
    // Center 100, width 11: values <= 94.5 are black, > 104.5 white, linear between.
    auto h = mono(5, 16, 15, 0);
    h.windows = {{100, 11, "TEST"}};
    const auto image = image_of(h, {94, 95, 100, 104, 105});
    const auto out = render(image, {rl::DicomVoi::kWindow, 0});
    EXPECT_EQ(out, (std::vector<uint8_t>{0, 12, 140, 242, 255}));
}

TEST(DicomImage, RescaleComesBeforeTheWindow) {
    auto h = mono(2, 16, 15, 0);
    h.rescale_slope = 2;
    h.rescale_intercept = -1024;
    h.windows = {{0, 2, ""}};  // only -0.5 < v <= 0.5 in between
    const auto out = render(image_of(h, {511, 513}), {rl::DicomVoi::kWindow, 0});
    EXPECT_EQ(out, (std::vector<uint8_t>{0, 255}));  // -2 and +2
}

TEST(DicomImage, Monochrome1AndPresentationShapeInvert) {
    auto h = mono(2, 8, 7, 0);
    h.windows = {{128, 256, ""}};
    const std::vector<uint16_t> v = {0, 255};
    EXPECT_EQ(render(image_of(h, v), {rl::DicomVoi::kWindow, 0}), (std::vector<uint8_t>{0, 255}));
    h.photometric = "MONOCHROME1";
    EXPECT_EQ(render(image_of(h, v), {rl::DicomVoi::kWindow, 0}), (std::vector<uint8_t>{255, 0}));
    h.presentation_lut_shape = "IDENTITY";  // an explicit IDENTITY overrides MONOCHROME1's inversion
    EXPECT_EQ(render(image_of(h, v), {rl::DicomVoi::kWindow, 0}), (std::vector<uint8_t>{0, 255}));
    h.photometric = "MONOCHROME2";
    h.presentation_lut_shape = "INVERSE";
    EXPECT_EQ(render(image_of(h, v), {rl::DicomVoi::kWindow, 0}), (std::vector<uint8_t>{255, 0}));
}

TEST(DicomImage, SigmoidAndLinearExactFunctions) {
    auto h = mono(3, 16, 15, 1);
    h.windows = {{0, 100, ""}};
    h.voi_function = "SIGMOID";  // 255 / (1 + exp(-4 (v - c) / w))
    const auto image = image_of(h, {uint16_t(-50), 0, 50});
    EXPECT_EQ(render(image, {rl::DicomVoi::kWindow, 0}), (std::vector<uint8_t>{30, 127, 224}));
    h.voi_function = "LINEAR_EXACT";  // ((v - c) / w + 0.5) * 255, clamped at c -/+ w/2
    EXPECT_EQ(render(image_of(h, {uint16_t(-50), 0, 50}), {rl::DicomVoi::kWindow, 0}),
              (std::vector<uint8_t>{0, 127, 255}));
}

TEST(DicomImage, VoiLutPackedEightBitAndSignedFirstValue) {
    auto h = mono(4, 16, 15, 1);
    rl::DicomVoiLut lut;
    lut.entries = 4;
    lut.first_mapped = 0xfffe;  // -2 for signed data
    lut.bits = 8;
    lut.data = {uint16_t(0 | 64 << 8), uint16_t(128 | 255 << 8)};  // 0, 64, 128, 255 packed two a word
    h.voi_luts = {lut};
    const auto image = image_of(h, {uint16_t(-5), uint16_t(-1), 0, 7});
    // out = entry * 256 / 2^8, first and last entries beyond the ends
    EXPECT_EQ(render(image, {rl::DicomVoi::kLut, 0}), (std::vector<uint8_t>{0, 64, 128, 255}));
}

TEST(DicomImage, MinMaxUsesTheShownFrameOrAllFrames) {
    auto h = mono(2, 16, 15, 0);
    h.frames = 2;
    const auto image = image_of(h, {10, 20, 0, 40});
    EXPECT_EQ(render(image, {rl::DicomVoi::kMinMax, 0}), (std::vector<uint8_t>{0, 255}));
    // All frames: 0..40, center 20.5, width 41, so 10 -> 63.75 and 20 -> 127.5 (truncated).
    EXPECT_EQ(render(image, {rl::DicomVoi::kMinMax, 0, true}), (std::vector<uint8_t>{63, 127}));
}

TEST(DicomImage, ColourPlanarAndYbrBecomeInterleavedRgb) {
    rl::DicomHeader h = mono(2, 8, 7, 0);
    h.photometric = "RGB";
    h.samples_per_pixel = 3;
    h.bits_allocated = 8;
    h.planar_configuration = 1;
    const std::vector<uint8_t> planar = {1, 2, 3, 4, 5, 6};  // R R G G B B
    rl::DicomImage image;
    ASSERT_TRUE(rl::dicom_image_from_words(h, planar.data(), planar.size(), "c", &image).ok());
    EXPECT_EQ(image.samples, (std::vector<int32_t>{1, 3, 5, 2, 4, 6}));
    EXPECT_TRUE(rl::dicom_voi_presets(image).empty());  // colour has no VOI
    h.photometric = "YBR_FULL";
    h.planar_configuration = 0;
    const std::vector<uint8_t> ybr = {76, 85, 255, 255, 128, 128};  // pure red, white
    ASSERT_TRUE(rl::dicom_image_from_words(h, ybr.data(), ybr.size(), "c", &image).ok());
    EXPECT_EQ(image.header.photometric, "RGB");
    // DCMTK's coefficients truncate white's green to 254.47 -> 254.
    EXPECT_EQ(image.samples, (std::vector<int32_t>{254, 0, 0, 255, 254, 255}));
    h.photometric = "YBR_FULL_422";  // Y1 Y2 Cb Cr for two pixels
    const std::vector<uint8_t> ybr422 = {76, 76, 85, 255};
    ASSERT_TRUE(rl::dicom_image_from_words(h, ybr422.data(), ybr422.size(), "c", &image).ok());
    EXPECT_EQ(image.samples, (std::vector<int32_t>{254, 0, 0, 254, 0, 0}));
    rl::GrayImage gray;
    ASSERT_TRUE(rl::dicom_gray(image, 0, {}, &gray).ok());
    EXPECT_EQ(gray.pixels, (std::vector<uint16_t>{rl::image_luma(254, 0, 0), rl::image_luma(254, 0, 0)}));
}

TEST(DicomImage, PresetsListWindowsThenLutsThenMinMax) {
    auto h = mono(1, 16, 15, 0);
    h.windows = {{40, 400, "SOFT TISSUE"}, {0, 0, "INVALID"}, {600, 2800, ""}};
    rl::DicomVoiLut lut;
    lut.entries = 1;
    lut.data = {7};
    lut.explanation = "NORMAL";
    h.voi_luts = {lut};
    const auto presets = rl::dicom_voi_presets(image_of(h, {0}));
    ASSERT_EQ(presets.size(), 4u);  // the zero-width window is not offered
    EXPECT_EQ(presets[0].label, "Window 1: C 40 W 400 (SOFT TISSUE)");
    EXPECT_EQ(presets[1].label, "Window 3: C 600 W 2800");
    EXPECT_EQ(presets[2].label, "VOI LUT 1: 1 entries (NORMAL)");
    EXPECT_EQ(presets[3].voi.kind, rl::DicomVoi::kMinMax);
}

TEST(DicomImage, HeaderJsonRoundTripsAndRejectsWrongTypes) {
    auto h = mono(2, 12, 11, 1);
    h.modality = "CT";
    h.pixel_spacing_mm[0] = 0.5;
    h.windows = {{40, 400, "SOFT"}};
    rl::DicomVoiLut lut;
    lut.entries = 2;
    lut.data = {1, 65535};
    h.voi_luts = {lut};
    rl::DicomHeader back;
    ASSERT_TRUE(rl::dicom_header_parse(rl::dicom_header_json(h), &back).ok());
    EXPECT_EQ(rl::dicom_header_json(back), rl::dicom_header_json(h));
    EXPECT_FALSE(rl::dicom_header_parse(R"({"rows": "12"})", &back).ok());
    EXPECT_FALSE(rl::dicom_header_parse(R"({"voi_luts": [{"data": [70000]}]})", &back).ok());
    EXPECT_FALSE(rl::dicom_header_parse("not json", &back).ok());
}

}  // namespace

TEST(DicomImage, RescaleBeyondInt32ClampsInsteadOfWrapping) {
    // Found by fuzzing (issue 36): stored x slope + intercept past int32 was cast unchecked, undefined behaviour
    // that on x86 gave INT32_MIN for values far above the rest.
    auto h = mono(4, 16, 15, 0);
    h.rescale_slope = 1e9;
    const auto pixels = render(image_of(h, {0, 1, 3, 60000}), {});  // min-max over 0, 1e9 and two values past INT32_MAX
    EXPECT_EQ(pixels.front(), 0);
    EXPECT_EQ(pixels[2], 255);
    EXPECT_EQ(pixels[3], 255);
    EXPECT_TRUE(std::is_sorted(pixels.begin(), pixels.end()));
    h.rescale_slope = 1e300;
    EXPECT_EQ(render(image_of(h, {0, 1, 2, 3}), {}), (std::vector<uint8_t>{0, 255, 255, 255}));  // 0, then INT32_MAX thrice
}
