// calibration: probabilities with temperature, NLL by hand, a fit that
// recovers a known over-confidence factor, and no fit where nothing is wrong.
#include "calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

TEST(Calibration, ProbabilitiesApplyTheTemperature) {
    const auto p = rl::calibration_probabilities({0.0f, std::log(3.0f)}, 2, rl::OutputKind::softmax, 1.0);
    EXPECT_NEAR(p[0], 0.25, 1e-6);
    EXPECT_NEAR(p[1], 0.75, 1e-6);
    const auto q = rl::calibration_probabilities({2.0f}, 1, rl::OutputKind::sigmoid, 2.0);
    EXPECT_NEAR(q[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
    const auto big = rl::calibration_probabilities({1000.0f, 0.0f}, 2, rl::OutputKind::softmax, 1.0);  // no overflow
    EXPECT_NEAR(big[0], 1.0, 1e-6);
}

TEST(Calibration, NllByHand) {
    // softmax p(correct) = 0.75 -> -log 0.75; sigmoid target 0 with z = 0 -> log 2.
    EXPECT_NEAR(rl::calibration_nll({0.0f, std::log(3.0f)}, {1}, 2, rl::OutputKind::softmax, 1.0), -std::log(0.75), 1e-6);
    EXPECT_NEAR(rl::calibration_nll({0.0f}, {0}, 1, rl::OutputKind::sigmoid, 1.0), std::log(2.0), 1e-6);
}

TEST(Calibration, FitRecoversAKnownOverconfidence) {
    // Labels drawn from softmax(z); the model reports 3 z: the best T is about 3.
    std::mt19937 rng(4);
    std::normal_distribution<float> normal(0.0f, 1.5f);
    std::vector<float> logits;
    std::vector<int> labels;
    for (int i = 0; i < 20000; ++i) {
        const float z0 = normal(rng), z1 = normal(rng), z2 = normal(rng);
        const double e0 = std::exp(z0), e1 = std::exp(z1), e2 = std::exp(z2), u = std::uniform_real_distribution<double>(0, e0 + e1 + e2)(rng);
        labels.push_back(u < e0 ? 0 : u < e0 + e1 ? 1 : 2);
        logits.insert(logits.end(), {3 * z0, 3 * z1, 3 * z2});
    }
    EXPECT_NEAR(rl::calibration_fit_temperature(logits, labels, 3, rl::OutputKind::softmax), 3.0, 0.15);
}

TEST(Calibration, SeparatedValidationKeepsTheNetworksOwnScale) {
    // Every row's target ranked first: the NLL falls towards T = 0, so the fit keeps T = 1.
    const std::vector<float> softmax = {3.0f, 0.0f, -1.0f, 0.0f, 2.0f, 0.5f};
    EXPECT_TRUE(rl::calibration_separated(softmax, {0, 1}, 3, rl::OutputKind::softmax));
    EXPECT_LT(rl::calibration_nll(softmax, {0, 1}, 3, rl::OutputKind::softmax, 0.05),
              rl::calibration_nll(softmax, {0, 1}, 3, rl::OutputKind::softmax, 1.0));
    EXPECT_EQ(rl::calibration_fit_temperature(softmax, {0, 1}, 3, rl::OutputKind::softmax), 1.0);
    // One row ranked wrong: the NLL has a minimum, and the fit finds it (below 1 here: sharpening helps).
    EXPECT_FALSE(rl::calibration_separated(softmax, {0, 2}, 3, rl::OutputKind::softmax));
    const double t = rl::calibration_fit_temperature(softmax, {0, 2}, 3, rl::OutputKind::softmax);
    EXPECT_GT(t, 0.06);
    EXPECT_LT(rl::calibration_nll(softmax, {0, 2}, 3, rl::OutputKind::softmax, t),
              rl::calibration_nll(softmax, {0, 2}, 3, rl::OutputKind::softmax, 1.0));
    // Sigmoid: separated when every label sits on its side of 0.
    const std::vector<float> sigmoid = {2.0f, -1.0f, -3.0f, 0.5f};
    EXPECT_TRUE(rl::calibration_separated(sigmoid, {1, 0, 0, 1}, 2, rl::OutputKind::sigmoid));
    EXPECT_EQ(rl::calibration_fit_temperature(sigmoid, {1, 0, 0, 1}, 2, rl::OutputKind::sigmoid), 1.0);
    EXPECT_FALSE(rl::calibration_separated(sigmoid, {1, 0, 1, 1}, 2, rl::OutputKind::sigmoid));
}
