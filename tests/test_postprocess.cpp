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

TEST(Postprocess, AnswerAbstainsOutOfDomainAndAtChance) {
    auto c = card_with(rl::OutputKind::softmax, {"normal", "pneumonia"}, {{"pneumonia", 0.3, 0.9, 0.8}});
    c.metrics = {{"roc_auc", "pneumonia", 0.99, 0.98, 1.0, {}}};
    rl::Answer a = rl::postprocess_answer(c, {0.2f, 0.8f}, {});
    EXPECT_EQ(a.decision, "pneumonia");
    EXPECT_TRUE(a.in_domain);
    EXPECT_EQ(a.note, "");
    a = rl::postprocess_answer(c, {0.2f, 0.8f}, {false, "This image does not look like ..."});
    EXPECT_EQ(a.decision, rl::kAbstain);
    EXPECT_FALSE(a.in_domain);
    EXPECT_EQ(a.note, "This image does not look like ...");
    c.metrics[0].ci_low = 0.45;  // test AUC interval reaching chance
    a = rl::postprocess_answer(c, {0.2f, 0.8f}, {});
    EXPECT_EQ(a.decision, rl::kAbstain);
    EXPECT_TRUE(a.in_domain);
    EXPECT_NE(a.note.find("Not better than chance"), std::string::npos);
}

TEST(Postprocess, MultiLabelAnswerLeavesOutWithheldLabels) {
    auto c = card_with(rl::OutputKind::sigmoid, {"Mass", "Edema", "Hernia"},
                       {{"Mass", 0.4, 0.5, 0.5}, {"Edema", 0.6, 0.5, 0.5}, {"Hernia", 0.9, 0.5, 0.5}});
    c.metrics = {{"roc_auc", "Mass", 0.8, 0.4, 0.9, {}}, {"roc_auc", "Edema", 0.9, 0.8, 0.95, {}}, {"roc_auc", "Hernia", 0.9, 0.8, 0.95, {}}};
    const rl::Answer a = rl::postprocess_answer(c, {0.95f, 0.7f, 0.1f}, {});
    EXPECT_EQ(a.decision, "Edema");  // Mass is above its threshold but at chance
    EXPECT_EQ(a.note, "No answer for Mass: not better than chance on held-out data.");
}
