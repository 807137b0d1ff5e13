// display: the CPU twins of the viewer's shader (the browser test compares
// the shader with these; here they are checked against worked values).
#include "display.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

rl::GrayImage ramp16(int width, int height) {
    rl::GrayImage image{width, height, 65535, {}};
    for (int i = 0; i < width * height; ++i) image.pixels.push_back(uint16_t(i * 997 % 65536));
    return image;
}

}  // namespace

TEST(Display, WindowMapsCenterToMidGreyAndClampsOutside) {
    const rl::DisplayWindow w{1000.0, 400.0};  // 800 .. 1200
    EXPECT_FLOAT_EQ(rl::display_window_level(1000.0f, w, false), 0.5f);
    EXPECT_FLOAT_EQ(rl::display_window_level(800.0f, w, false), 0.0f);
    EXPECT_FLOAT_EQ(rl::display_window_level(100.0f, w, false), 0.0f);
    EXPECT_FLOAT_EQ(rl::display_window_level(5000.0f, w, false), 1.0f);
    EXPECT_FLOAT_EQ(rl::display_window_level(900.0f, w, true), 0.75f);
}

TEST(Display, SixteenBitValuesOneApartStayApartInANarrowWindow) {
    const rl::DisplayWindow w{40000.5, 2.0};
    EXPECT_LT(rl::display_window_level(40000.0f, w, false), rl::display_window_level(40001.0f, w, false));
}

TEST(Display, PresetsCoverFullScaleImageRangeAndPercentiles) {
    rl::GrayImage image{40, 25, 4095, std::vector<uint16_t>(1000, 1000)};
    for (int i = 1; i < 999; ++i) image.pixels[size_t(i)] = uint16_t(1000 + i % 100);
    image.pixels[0] = 0;       // one dark outlier in a thousand
    image.pixels[999] = 4000;  // one bright
    const auto presets = rl::display_window_presets(image);
    ASSERT_EQ(presets.size(), 3u);
    EXPECT_DOUBLE_EQ(presets[0].window.center, 2047.5);
    EXPECT_DOUBLE_EQ(presets[0].window.width, 4095.0);
    EXPECT_DOUBLE_EQ(presets[1].window.center - presets[1].window.width / 2, 0.0);
    EXPECT_DOUBLE_EQ(presets[1].window.center + presets[1].window.width / 2, 4000.0);
    // The percentile window leaves both outliers out.
    EXPECT_GE(presets[2].window.center - presets[2].window.width / 2, 1000.0);
    EXPECT_LE(presets[2].window.center + presets[2].window.width / 2, 1099.0);
}

TEST(Display, HeatColoursRunFromDarkToBright) {
    const rl::Rgb low = rl::display_heat_colour(0.0f), high = rl::display_heat_colour(1.0f);
    EXPECT_LT(low.r + low.g + low.b, 0.1f);
    EXPECT_GT(high.r + high.g + high.b, 2.5f);
    const rl::Rgb mid = rl::display_heat_colour(0.5f);
    EXPECT_FLOAT_EQ(mid.r, 0.73f);
    EXPECT_FLOAT_EQ(rl::display_heat_colour(2.0f).g, 1.0f);  // clamped
}

TEST(Display, CamNormalisesToUnitRange) {
    const float cam[4] = {-2.0f, 0.0f, 2.0f, 1.0f};
    const auto n = rl::display_cam_normalised(cam, 2, 2);
    EXPECT_EQ(n, (std::vector<float>{0.0f, 0.5f, 1.0f, 0.75f}));
    const float flat[2] = {3.0f, 3.0f};
    EXPECT_EQ(rl::display_cam_normalised(flat, 2, 1), (std::vector<float>{0.0f, 0.0f}));
}

TEST(Display, CamPlacementFollowsPadding) {
    // A 200 x 100 image padded to 200 x 200 for a 4 x 4 map: the image's
    // first row sits 50 px down the square, i.e. at map row 50/50 - 0.5 + ...
    const rl::InputSpec spec{128, 128, rl::ResizePolicy::pad_to_square, rl::IntensityScaling::full_range, 0.0f, 1.0f};
    const rl::CamPlacement p = rl::display_cam_placement({0, 0, 200, 100}, spec, 4, 4);
    EXPECT_FLOAT_EQ(p.scale_x, 4.0f / 200.0f);
    EXPECT_FLOAT_EQ(0.0f * p.scale_x + p.bias_x, 0.5f * 0.02f - 0.5f);
    // Pixel row 0 centre is 50.5 px into the square: map coordinate 50.5 * 0.02 - 0.5.
    EXPECT_FLOAT_EQ(0.0f * p.scale_y + p.bias_y, 50.5f * 0.02f - 0.5f);
}

TEST(Display, CamPlacementFollowsTheContentCrop) {
    // The model saw the 40 x 20 box at (30, 10), padded to 40 x 40: image
    // pixel (30, 10) is the box's first pixel, 10 px down the square.
    const rl::InputSpec spec{128, 128, rl::ResizePolicy::crop_to_content, rl::IntensityScaling::full_range, 0.0f, 1.0f};
    const rl::CamPlacement p = rl::display_cam_placement({30, 10, 40, 20}, spec, 4, 4);
    EXPECT_FLOAT_EQ(p.scale_x, 0.1f);
    EXPECT_FLOAT_EQ(30.0f * p.scale_x + p.bias_x, 0.5f * 0.1f - 0.5f);
    EXPECT_FLOAT_EQ(10.0f * p.scale_y + p.bias_y, 10.5f * 0.1f - 0.5f);
}

TEST(Display, CamSampleInterpolatesAndIsZeroOutside) {
    const std::vector<float> cam = {0.0f, 1.0f, 0.0f, 1.0f};  // 2 x 2
    EXPECT_FLOAT_EQ(rl::display_cam_sample(cam, 2, 2, 0.5f, 0.5f), 0.5f);
    EXPECT_FLOAT_EQ(rl::display_cam_sample(cam, 2, 2, -0.4f, 0.0f), 0.0f);  // clamped to the edge cell
    EXPECT_FLOAT_EQ(rl::display_cam_sample(cam, 2, 2, 1.4f, 1.0f), 1.0f);
    EXPECT_FLOAT_EQ(rl::display_cam_sample(cam, 2, 2, 1.6f, 1.0f), 0.0f);    // beyond what the model saw
}

TEST(Display, RenderWithoutHeatIsTheWindowedGrey) {
    const rl::GrayImage image = ramp16(7, 5);
    rl::DisplayParams params;
    params.window = {30000.0, 20000.0};
    const auto rgba = rl::display_render(image, params, {}, 0, 0, {});
    ASSERT_EQ(rgba.size(), 7u * 5u * 4u);
    for (size_t i = 0; i < image.pixels.size(); ++i) {
        const float g = rl::display_window_level(image.pixels[i], params.window, false);
        EXPECT_EQ(rgba[i * 4], uint8_t(std::lround(g * 255.0f)));
        EXPECT_EQ(rgba[i * 4], rgba[i * 4 + 2]);
        EXPECT_EQ(rgba[i * 4 + 3], 255);
    }
}

TEST(Display, HeatOverlayColoursWhereTheMapIsHot) {
    const rl::GrayImage image{4, 4, 255, std::vector<uint16_t>(16, 128)};
    const std::vector<float> cam = {0.0f, 0.0f, 0.0f, 1.0f};  // hot bottom-right
    rl::DisplayParams params;
    params.window = {127.5, 255.0};
    params.heat_opacity = 1.0f;
    const rl::InputSpec spec{2, 2, rl::ResizePolicy::stretch, rl::IntensityScaling::full_range, 0.0f, 1.0f};
    const auto rgba = rl::display_render(image, params, cam, 2, 2, rl::display_cam_placement({0, 0, 4, 4}, spec, 2, 2));
    EXPECT_EQ(rgba[0], 128);                  // top-left: map 0, pure grey
    EXPECT_EQ(rgba[0], rgba[1]);
    const uint8_t* hot = &rgba[(3 * 4 + 3) * 4];  // bottom-right: the heat colour at 1
    EXPECT_EQ(hot[0], 252);
    EXPECT_EQ(hot[1], 255);
    EXPECT_EQ(hot[2], 163);
}
