// augment: gamma raises about half the images, each to one exponent within
// [1 / gamma, gamma], and leaves the rest as they were.
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
