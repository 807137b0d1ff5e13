// augment: gamma raises about half the images, each to one exponent within
// [1 / gamma, gamma], and leaves the rest as they were; erase covers one
// rectangle of about half the images, no larger than its bound.
#include "augment.h"

#include <gtest/gtest.h>

TEST(Augment, GammaRaisesHalfTheImagesToOneExponentEachWithinItsRange) {
    torch::manual_seed(3);
    const int64_t n = 64;
    const torch::Tensor unit = torch::linspace(0.05, 0.95, 16 * 16).view({1, 1, 16, 16}).expand({n, 1, 16, 16}).contiguous();
    rl::Augment a;  // no warp, no gain: only gamma
    a.gamma = 1.5;
    const float mean = 0.3f, std = 0.2f;
    const torch::Tensor out = rl::augment_batch((unit - mean) / std, a, mean, std) * std + mean;
    int raised = 0;
    for (int64_t i = 0; i < n; ++i) {
        const torch::Tensor exponent = torch::log(out[i].clamp_min(1e-6)) / torch::log(unit[i]);  // [1, 16, 16]
        const double lo = exponent.min().item<double>(), hi = exponent.max().item<double>();
        EXPECT_LT(hi - lo, 1e-3) << "image " << i << ": one exponent for the whole image";
        EXPECT_GE(lo, 1.0 / 1.5 - 1e-3) << i;
        EXPECT_LE(hi, 1.5 + 1e-3) << i;
        raised += std::abs(lo - 1.0) > 1e-3;
    }
    EXPECT_GT(raised, n / 4);
    EXPECT_LT(raised, 3 * n / 4);
}

TEST(Augment, EraseCoversOneRectangleOfHalfTheImagesWithinItsArea) {
    torch::manual_seed(5);
    const int64_t n = 64, side = 32;
    const torch::Tensor unit = torch::ones({n, 1, side, side});  // the noise is uniform in [0, 1), so never 1
    rl::Augment a;  // no warp, no gain: only the rectangle
    a.erase = 0.3;
    const torch::Tensor changed = (rl::augment_batch(unit, a, 0.0f, 1.0f) != 1.0).select(1, 0);  // [n, side, side]
    int erased = 0;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t area = changed[i].sum().item<int64_t>();
        if (area == 0) continue;
        ++erased;
        // One rectangle: the changed pixels fill the box of their rows and columns.
        const int64_t rows = changed[i].any(1).sum().item<int64_t>(), cols = changed[i].any(0).sum().item<int64_t>();
        EXPECT_EQ(area, rows * cols) << "image " << i;
        EXPECT_LE(area, int64_t(0.3 * side * side) + 2 * side + 1) << i;  // whole pixels: a partly covered row or column counts
    }
    EXPECT_GT(erased, n / 4);
    EXPECT_LT(erased, 3 * n / 4);
}
