// preprocess: scaling, aspect fitting, resampling and normalisation against
// values computed by hand.
#include "preprocess.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fixtures.h"

using rl::GrayImage;
using rl::InputSpec;
using rl::IntensityScaling;
using rl::ResizePolicy;

namespace {

GrayImage image_make(int width, int height, std::vector<uint16_t> pixels, uint16_t max_value = 255) {
    return GrayImage{width, height, max_value, std::move(pixels)};
}

InputSpec spec_make(int width, int height, ResizePolicy resize = ResizePolicy::stretch,
                    IntensityScaling scaling = IntensityScaling::full_range, float mean = 0.0f, float std = 1.0f) {
    return InputSpec{width, height, resize, scaling, mean, std};
}

std::vector<float> run(const GrayImage& img, const InputSpec& spec) {
    std::vector<float> out;
    const rl::Status s = rl::preprocess(img, spec, &out);
    EXPECT_TRUE(s.ok()) << s.message;
    return out;
}

void expect_near_all(const std::vector<float>& got, const std::vector<float>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6f) << "index " << i;
}

}  // namespace

TEST(Preprocess, FullRangeDividesByTheFormatsFullScale) {
    expect_near_all(run(image_make(2, 2, {0, 51, 102, 255}), spec_make(2, 2)), {0.0f, 0.2f, 0.4f, 1.0f});
    expect_near_all(run(image_make(2, 1, {0, 4095}, 4095), spec_make(2, 1)), {0.0f, 1.0f});
}

TEST(Preprocess, SixteenBitPrecisionSurvives) {
    const auto out = run(image_make(3, 1, {1, 2, 65534}, 65535), spec_make(3, 1));
    EXPECT_FLOAT_EQ(out[0], 1.0f / 65535.0f);
    EXPECT_FLOAT_EQ(out[1], 2.0f / 65535.0f);
    EXPECT_NE(out[0], out[1]);
}

TEST(Preprocess, MinMaxStretchesThisImagesRange) {
    const auto spec = spec_make(4, 1, ResizePolicy::stretch, IntensityScaling::min_max);
    expect_near_all(run(image_make(4, 1, {10, 20, 30, 50}), spec), {0.0f, 0.25f, 0.5f, 1.0f});
    expect_near_all(run(image_make(4, 1, {9, 9, 9, 9}), spec), {0.0f, 0.0f, 0.0f, 0.0f});  // constant: no division by zero
}

TEST(Preprocess, EqualizeSpreadsTheContentByRank) {
    const auto spec = spec_make(6, 1, ResizePolicy::stretch, IntensityScaling::equalize);
    // 0 and 20 (<= 10 % of 255) stay; 40, 40, 100, 250 take midpoint ranks 1/4, 1/4, 5/8, 7/8 of the content.
    const float lo = rl::kContentLevel, span = 1.0f - rl::kContentLevel;
    const std::vector<float> want = {0.0f, 20.0f / 255, lo + span * 0.25f, lo + span * 0.25f, lo + span * 0.625f, lo + span * 0.875f};
    expect_near_all(run(image_make(6, 1, {0, 20, 40, 40, 100, 250}), spec), want);
    // Any increasing mapping of the content gives the same input: here a gamma, in 16 bits.
    expect_near_all(run(image_make(6, 1, {0, 5140, 7000, 7000, 20000, 60000}, 65535), spec), want);
}

TEST(Preprocess, EqualizeCropsToTheFullRangeBoxThePageIsTold) {
    // A faint pixel at (0, 0) and a bright one at (2, 1) span the box; the model sees it as is (3x2 to 3x2),
    // its two content pixels at midpoint ranks 1/4 and 3/4, the rest black.
    const auto img = image_make(4, 3, {30, 0, 0, 0, 0, 0, 200, 0, 0, 0, 0, 0});
    const auto spec = spec_make(3, 2, ResizePolicy::crop_to_content, IntensityScaling::equalize);
    const auto box = rl::preprocess_region(img, spec);
    EXPECT_EQ(box.x, 0);
    EXPECT_EQ(box.y, 0);
    EXPECT_EQ(box.width, 3);
    EXPECT_EQ(box.height, 2);
    const float lo = rl::kContentLevel, span = 1.0f - rl::kContentLevel;
    expect_near_all(run(img, spec), {lo + span * 0.25f, 0.0f, 0.0f, 0.0f, 0.0f, lo + span * 0.75f});
}

TEST(Preprocess, NormalisationAppliesMeanAndStd) {
    const auto spec = spec_make(2, 1, ResizePolicy::stretch, IntensityScaling::full_range, 0.5f, 0.25f);
    expect_near_all(run(image_make(2, 1, {0, 255}), spec), {-2.0f, 2.0f});
}

TEST(Preprocess, ShrinkingAveragesBoxes) {
    // 4x4 -> 2x2: each output is the mean of a 2x2 block.
    const auto img = image_make(4, 4, {0, 10, 100, 110,  //
                                       20, 30, 120, 130,  //
                                       200, 210, 0, 0,    //
                                       220, 230, 0, 255});
    expect_near_all(run(img, spec_make(2, 2)), {15.0f / 255, 115.0f / 255, 215.0f / 255, 63.75f / 255});
}

TEST(Preprocess, EnlargingInterpolatesLinearly) {
    // 2 -> 4 px: output centres fall at -0.25, 0.25, 0.75, 1.25 source px; edges clamp.
    const float a = 40.0f / 255, b = 200.0f / 255;
    expect_near_all(run(image_make(2, 1, {40, 200}), spec_make(4, 1)), {a, 0.75f * a + 0.25f * b, 0.25f * a + 0.75f * b, b});
}

TEST(Preprocess, PadToSquareCentresTheImageOnBlack) {
    expect_near_all(run(image_make(3, 1, {255, 255, 255}), spec_make(3, 3, ResizePolicy::pad_to_square)),
                    {0, 0, 0, 1, 1, 1, 0, 0, 0});
    expect_near_all(run(image_make(1, 3, {255, 255, 255}), spec_make(3, 3, ResizePolicy::pad_to_square)),
                    {0, 1, 0, 0, 1, 0, 0, 1, 0});
    // Odd padding puts the extra row after the image.
    expect_near_all(run(image_make(2, 1, {255, 255}), spec_make(2, 2, ResizePolicy::pad_to_square)), {1, 1, 0, 0});
}

TEST(Preprocess, CenterCropKeepsTheMiddle) {
    const auto img = image_make(4, 2, {0, 51, 102, 0,  //
                                       0, 153, 204, 0});
    expect_near_all(run(img, spec_make(2, 2, ResizePolicy::center_crop)), {0.2f, 0.4f, 0.6f, 0.8f});
}

TEST(Preprocess, CropToContentKeepsTheBoxAboveTheLevelThenPads) {
    // A dim frame (10 % of full scale is not content) around a 3 x 2 picture at (2, 1).
    const uint16_t d = 20;  // 20 / 255 < kContentLevel
    const auto img = image_make(6, 4, {d, d, d,   d,   d,   d,  //
                                       d, d, 255, 128, 255, d,  //
                                       d, d, 255, 255, 26,  d,  //
                                       d, d, d,   d,   d,   0});
    const auto spec = spec_make(3, 3, ResizePolicy::crop_to_content);
    const rl::ImageRegion r = rl::preprocess_region(img, spec);
    EXPECT_EQ(std::vector<int>({r.x, r.y, r.width, r.height}), std::vector<int>({2, 1, 3, 2}));
    // The box, padded to 3 x 3 (odd padding after it): exactly as pad_to_square of the box alone.
    const auto box = image_make(3, 2, {255, 128, 255, 255, 255, 26});
    expect_near_all(run(img, spec), run(box, spec_make(3, 3, ResizePolicy::pad_to_square)));
    // Nothing above the level: the whole image, as pad_to_square sees it.
    const auto dim = image_make(2, 1, {d, d});
    const rl::ImageRegion all = rl::preprocess_region(dim, spec);
    EXPECT_EQ(std::vector<int>({all.x, all.y, all.width, all.height}), std::vector<int>({0, 0, 2, 1}));
    expect_near_all(run(dim, spec), run(dim, spec_make(3, 3, ResizePolicy::pad_to_square)));
    // Other policies see the whole image.
    const rl::ImageRegion whole = rl::preprocess_region(img, spec_make(3, 3, ResizePolicy::pad_to_square));
    EXPECT_EQ(std::vector<int>({whole.x, whole.y, whole.width, whole.height}), std::vector<int>({0, 0, 6, 4}));
}

TEST(Preprocess, StretchIgnoresAspect) {
    const auto out = run(image_make(4, 1, {255, 255, 255, 255}), spec_make(2, 2));
    expect_near_all(out, {1, 1, 1, 1});
}

TEST(Preprocess, SamePictureAtTwoResolutionsGivesTheSameInput) {
    // Same picture at two sizes gives nearly the same input: the model must
    // not see the file's resolution (Br35H's sizes correlate with the label).
    std::vector<uint16_t> small(100 * 50), large(200 * 100);
    for (int y = 0; y < 50; ++y)
        for (int x = 0; x < 100; ++x) small[size_t(y * 100 + x)] = uint16_t(x * 2);
    for (int y = 0; y < 100; ++y)
        for (int x = 0; x < 200; ++x) large[size_t(y * 200 + x)] = uint16_t(x);
    const auto spec = spec_make(32, 32, ResizePolicy::pad_to_square);
    const auto a = run(image_make(100, 50, small), spec), b = run(image_make(200, 100, large), spec);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 0.02f) << i;
}

TEST(Preprocess, RealImageLandsInUnitRange) {
    GrayImage img;
    const rl::Status s = rl::image_decode_file(rl_test::data_dir() + "/brain_mri/no/No12.jpg", &img);
    ASSERT_TRUE(s.ok()) << s.message;
    const auto out = run(img, spec_make(128, 128, ResizePolicy::pad_to_square));
    ASSERT_EQ(out.size(), 128u * 128u);
    for (float v : out) ASSERT_TRUE(v >= 0.0f && v <= 1.0f) << v;
}

TEST(Preprocess, BadSpecsAndImagesAreRefused) {
    std::vector<float> out;
    const auto img = image_make(2, 1, {1, 2});
    EXPECT_FALSE(rl::preprocess(img, spec_make(0, 4), &out).ok());
    EXPECT_FALSE(rl::preprocess(img, spec_make(4, rl::kInputMaxSidePx + 1), &out).ok());
    EXPECT_FALSE(rl::preprocess(img, spec_make(4, 4, ResizePolicy::stretch, IntensityScaling::full_range, 0.0f, 0.0f), &out).ok());
    EXPECT_FALSE(rl::preprocess(img, spec_make(4, 4, ResizePolicy::stretch, IntensityScaling::full_range, NAN, 1.0f), &out).ok());
    EXPECT_FALSE(rl::preprocess(image_make(0, 0, {}), spec_make(4, 4), &out).ok());
    EXPECT_FALSE(rl::preprocess(image_make(3, 3, {1, 2}), spec_make(4, 4), &out).ok());
}

TEST(Preprocess, PolicyNamesRoundTrip) {
    for (ResizePolicy p : {ResizePolicy::stretch, ResizePolicy::pad_to_square, ResizePolicy::center_crop, ResizePolicy::crop_to_content}) {
        ResizePolicy back = ResizePolicy::stretch;
        ASSERT_TRUE(rl::resize_policy_parse(rl::resize_policy_name(p), &back));
        EXPECT_EQ(back, p);
    }
    ResizePolicy p;
    EXPECT_FALSE(rl::resize_policy_parse("letterbox", &p));
    IntensityScaling s;
    EXPECT_TRUE(rl::intensity_scaling_parse("min_max", &s));
    EXPECT_EQ(s, IntensityScaling::min_max);
    EXPECT_TRUE(rl::intensity_scaling_parse("equalize", &s));
    EXPECT_EQ(s, IntensityScaling::equalize);
    EXPECT_FALSE(rl::intensity_scaling_parse("zscore", &s));
}
