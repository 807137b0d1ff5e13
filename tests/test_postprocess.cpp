// postprocess: the decision rule for each output kind.
#include "postprocess.h"

#include <gtest/gtest.h>

namespace {

rl::ModelCard card_with(rl::OutputKind kind, std::vector<std::string> labels, std::vector<rl::OperatingPoint> points) {
    rl::ModelCard c;
    c.output_kind = kind;
    c.labels = std::move(labels);
    c.operating_points = std::move(points);
    return c;
}

}  // namespace

TEST(Postprocess, TwoClassSoftmaxUsesThePositiveThreshold) {
    const auto c = card_with(rl::OutputKind::softmax, {"normal", "pneumonia"}, {{"pneumonia", 0.3, 0.9, 0.8}});
    EXPECT_EQ(rl::postprocess_decision(c, {0.75f, 0.25f}), "normal");
    EXPECT_EQ(rl::postprocess_decision(c, {0.7f, 0.3f}), "pneumonia");  // at the threshold counts
    EXPECT_DOUBLE_EQ(rl::postprocess_threshold(c, "pneumonia"), 0.3);
    EXPECT_DOUBLE_EQ(rl::postprocess_threshold(c, "normal"), -1.0);
}

TEST(Postprocess, MultiClassTakesTheMostProbable) {
    const auto c = card_with(rl::OutputKind::softmax, {"a", "b", "c"}, {});
    EXPECT_EQ(rl::postprocess_decision(c, {0.2f, 0.5f, 0.3f}), "b");
}

TEST(Postprocess, SigmoidListsEveryLabelAtItsThreshold) {
    const auto c = card_with(rl::OutputKind::sigmoid, {"Mass", "Edema", "Hernia"},
                             {{"Mass", 0.4, 0.5, 0.5}, {"Edema", 0.6, 0.5, 0.5}, {"Hernia", 0.9, 0.5, 0.5}});
    EXPECT_EQ(rl::postprocess_decision(c, {0.45f, 0.7f, 0.1f}), "Mass;Edema");
    EXPECT_EQ(rl::postprocess_decision(c, {0.1f, 0.1f, 0.1f}), "none");
}
