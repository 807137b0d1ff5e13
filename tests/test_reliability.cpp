// reliability: held-out figures at chance withhold the decision.
#include "reliability.h"

#include <gtest/gtest.h>

namespace {

rl::ModelCard two_class(double auc_low) {
    rl::ModelCard c;
    c.output_kind = rl::OutputKind::softmax;
    c.labels = {"normal", "pneumonia"};
    c.data.test_count = 746;
    c.metrics = {{"roc_auc", "pneumonia", 0.997, auc_low, 0.999, {}}};
    return c;
}

}  // namespace

TEST(Reliability, TwoClassAboveChanceSaysHowItTested) {
    const rl::Reliability r = rl::reliability_judge(two_class(0.994));
    EXPECT_FALSE(r.chance);
    EXPECT_TRUE(r.withheld.empty());
    EXPECT_EQ(r.summary, "Tested on 746 held-out images: AUC 0.997 (0.994-0.999)");
}

TEST(Reliability, AnIntervalReachingHalfOnTestOrOutOfFoldIsChance) {
    EXPECT_TRUE(rl::reliability_judge(two_class(0.5)).chance);
    rl::ModelCard c = two_class(0.6);
    c.metrics.push_back({std::string(rl::kOutOfFoldPrefix) + "roc_auc", "pneumonia", 0.493, 0.430, 0.562, {}});
    const rl::Reliability r = rl::reliability_judge(c);
    EXPECT_TRUE(r.chance);
    EXPECT_EQ(r.withheld, std::vector<std::string>{"pneumonia"});
    EXPECT_EQ(r.summary, "Not better than chance on held-out data: for teaching only (out-of-fold AUC 0.493, interval 0.430-0.562)");
}

TEST(Reliability, MultiLabelWithholdsLabelsAtChanceAndEverythingWhenMostAre) {
    rl::ModelCard c;
    c.output_kind = rl::OutputKind::sigmoid;
    c.labels = {"Mass", "Edema", "Hernia"};
    c.data.test_count = 170;
    c.metrics = {{"roc_auc", "Mass", 0.8, 0.7, 0.9, {}}, {"roc_auc", "Edema", 0.9, 0.8, 0.95, {}}, {"roc_auc", "Hernia", 0.6, 0.4, 0.8, {}},
                 {"mean_roc_auc", "", 0.77, 0.7, 0.85, {}}};
    rl::Reliability r = rl::reliability_judge(c);
    EXPECT_FALSE(r.chance);
    EXPECT_EQ(r.withheld, std::vector<std::string>{"Hernia"});
    EXPECT_EQ(r.summary, "Tested on 170 held-out images: mean AUC 0.770 (0.700-0.850); 1 of 3 labels at chance, withheld");
    c.metrics[1].ci_low = 0.45;  // now two of three: most
    r = rl::reliability_judge(c);
    EXPECT_TRUE(r.chance);
    EXPECT_EQ(r.withheld, c.labels);
    c.metrics.erase(c.metrics.begin());  // a label without a test AUC counts as at chance
    EXPECT_TRUE(rl::reliability_judge(c).chance);
}
