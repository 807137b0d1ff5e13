// operating_point: Youden on separable validation data, off any image's
// score, and the fallbacks for too few validation cases and for labels never
// seen in training.
#include "operating_point.h"

#include <gtest/gtest.h>

namespace {

rl::ModelCard sigmoid_card() {
    rl::ModelCard c;
    c.output_kind = rl::OutputKind::sigmoid;
    c.labels = {"common", "rare", "unseen"};
    return c;
}

}  // namespace

TEST(OperatingPoint, SeparableLabelGetsAPerfectCutAndRareOnesFallBack) {
    // 60 validation images, one group each. "common": 30 positives scoring
    // 0.8-0.9, 30 negatives 0.1-0.2. "rare": 3 positives. "unseen": 2 positives.
    std::vector<float> probs;
    std::vector<int> targets;
    std::vector<std::string> groups;
    for (int i = 0; i < 60; ++i) {
        const bool pos = i < 30;
        probs.insert(probs.end(), {pos ? 0.8f + 0.003f * float(i) : 0.1f + 0.003f * float(i - 30), i < 3 ? 0.6f : 0.1f, 0.5f});
        targets.insert(targets.end(), {int(pos), int(i < 3), int(i >= 58)});
        groups.push_back("g" + std::to_string(i));
    }
    const rl::OperatingPointChoice c = rl::operating_points_choose(sigmoid_card(), probs, targets, groups, {0.5, 0.2, 0.0}, 1);
    ASSERT_EQ(c.points.size(), 3u);
    // Halfway between the lowest positive score and the highest negative one.
    EXPECT_DOUBLE_EQ(c.points[0].threshold, (double(0.8f) + double(0.1f + 0.003f * 29.0f)) / 2);
    EXPECT_DOUBLE_EQ(c.points[0].sensitivity, 1.0);
    EXPECT_DOUBLE_EQ(c.points[0].specificity, 1.0);
    EXPECT_DOUBLE_EQ(c.points[1].threshold, 0.2);  // training prevalence
    EXPECT_DOUBLE_EQ(c.points[1].sensitivity, 1.0);
    EXPECT_DOUBLE_EQ(c.points[2].threshold, 1.0);  // never called
    EXPECT_DOUBLE_EQ(c.points[2].sensitivity, 0.0);
    ASSERT_EQ(c.limitations.size(), 2u);
    EXPECT_NE(c.limitations[0].find("rare (3 positives)"), std::string::npos) << c.limitations[0];
    EXPECT_NE(c.limitations[1].find("No training image has unseen"), std::string::npos) << c.limitations[1];
}

TEST(OperatingPoint, TwoClassSoftmaxGetsOnePointForThePositiveLabel) {
    rl::ModelCard card;
    card.output_kind = rl::OutputKind::softmax;
    card.labels = {"normal", "pneumonia"};
    std::vector<float> probs;
    std::vector<int> targets;
    std::vector<std::string> groups;
    for (int i = 0; i < 40; ++i) {
        const float p = i < 20 ? 0.7f + 0.01f * float(i) : 0.05f + 0.01f * float(i - 20);
        probs.insert(probs.end(), {1.0f - p, p});
        targets.push_back(i < 20);
        groups.push_back("g" + std::to_string(i / 2));  // two images a patient
    }
    const rl::OperatingPointChoice c = rl::operating_points_choose(card, probs, targets, groups, {0.5, 0.5}, 1);
    ASSERT_EQ(c.points.size(), 1u);
    EXPECT_EQ(c.points[0].label, "pneumonia");
    EXPECT_DOUBLE_EQ(c.points[0].sensitivity, 1.0);
    EXPECT_DOUBLE_EQ(c.points[0].specificity, 1.0);
    EXPECT_TRUE(c.limitations.empty());
}
