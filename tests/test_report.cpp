// report: the card's test metrics from a truth list and predictions CSV,
// checked against values worked out by hand, and its refusals.
#include "report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "scratch_test.h"

namespace fs = std::filesystem;

namespace {

rl::ModelCard binary_card() {
    rl::ModelCard c;
    c.name = "toy";
    c.labels = {"normal", "pneumonia"};
    c.output_kind = rl::OutputKind::softmax;
    c.operating_points = {{"pneumonia", 0.5, 1.0, 1.0}};
    return c;
}

const rl::MetricValue* find(const rl::ModelCard& c, const std::string& name, const std::string& source = "") {
    for (const auto& m : c.metrics)
        if (m.name == name && m.source == source) return &m;
    return nullptr;
}

}  // namespace

class Report : public rl_test::ScratchTest {
  protected:
    Report() : ScratchTest("rl-report") {}

    std::string write(const std::string& name, const std::string& text) {
        const fs::path p = dir / name;
        std::ofstream(p) << text;
        return p.string();
    }
};

TEST_F(Report, BinaryMetricsMatchHandCounts) {
    // Positives score .9, .8, .4; negatives .6, .2, .1: AUC 8/9; at 0.5:
    // TP 2, FN 1, FP 1, TN 2 -> sensitivity 2/3, specificity 2/3, accuracy 4/6.
    const std::string truth = write("truth.csv",
                                    "path,group,source,normal,pneumonia\na,g1,K,0,1\nb,g2,K,0,1\nc,g3,K,0,1\nd,g4,K,1,0\ne,g5,K,1,0\nf,g6,K,1,0\n");
    const std::string pred = write("pred.csv",
                                   "path,normal,pneumonia,decision,in_domain,note,error\na,0.1,0.9,pneumonia,yes,,\nb,0.2,0.8,pneumonia,yes,,\n"
                                   "c,0.6,0.4,abstain,no,\"not like its training images, no answer\",\nd,0.4,0.6,pneumonia,yes,,\ne,0.8,0.2,normal,yes,,\nf,0.9,0.1,normal,yes,,\n");
    rl::ModelCard c = binary_card();
    c.metrics = {{std::string(rl::kOutOfFoldPrefix) + "roc_auc", "pneumonia", 0.6, 0.5, 0.7, {}}, {"roc_auc", "pneumonia", 0.1, 0.0, 0.2, {}}};
    std::string summary;
    const rl::Status s = rl::report_evaluate(truth, pred, &c, &summary);
    ASSERT_TRUE(s.ok()) << s.message;
    // Out-of-domain images still count: the figures are the model's probabilities, answered or not.
    EXPECT_NEAR(find(c, "roc_auc")->value, 8.0 / 9.0, 1e-9);
    EXPECT_EQ(c.metrics[0].name, std::string(rl::kOutOfFoldPrefix) + "roc_auc");  // the recipe's figure stays; the old test one went
    EXPECT_NEAR(find(c, "sensitivity")->value, 2.0 / 3.0, 1e-9);
    EXPECT_NEAR(find(c, "specificity")->value, 2.0 / 3.0, 1e-9);
    EXPECT_NEAR(find(c, "accuracy")->value, 4.0 / 6.0, 1e-9);
    EXPECT_NEAR(find(c, "balanced_error_rate")->value, 1.0 / 3.0, 1e-9);
    for (const auto& m : c.metrics) EXPECT_TRUE(m.ci_low <= m.value && m.value <= m.ci_high) << m.name;
    EXPECT_EQ(find(c, "expected_calibration_error")->ci_low, 0.0);  // a one-sided bound (report.cpp says why)
    EXPECT_EQ(c.roc.at("pneumonia").size(), 6u);
    EXPECT_NE(summary.find("6 images in 6 groups"), std::string::npos);
    EXPECT_NE(summary.find("1 judged out of domain"), std::string::npos) << summary;
    for (const auto& m : c.metrics) EXPECT_EQ(m.source, "") << "one source: no figures per source";
}

TEST_F(Report, EachSourceIsAlsoScoredOnItsOwn) {
    // The scores above, dealt to two sources. X: positive .9, negatives .6 and .2: AUC 1; at 0.5 sensitivity 1,
    // specificity 1/2. Y: positives .8 and .4, negative .1: AUC 1, sensitivity 1/2, specificity 1.
    const std::string truth = write("truth9.csv",
                                    "path,group,source,normal,pneumonia\na,g1,X,0,1\nb,g2,Y,0,1\nc,g3,Y,0,1\nd,g4,X,1,0\ne,g5,X,1,0\nf,g6,Y,1,0\n");
    const std::string pred = write("pred9.csv",
                                   "path,normal,pneumonia,decision,in_domain,note,error\na,0.1,0.9,pneumonia,yes,,\nb,0.2,0.8,pneumonia,yes,,\n"
                                   "c,0.6,0.4,normal,yes,,\nd,0.4,0.6,pneumonia,yes,,\ne,0.8,0.2,normal,yes,,\nf,0.9,0.1,normal,yes,,\n");
    rl::ModelCard c = binary_card();
    std::string summary;
    const rl::Status s = rl::report_evaluate(truth, pred, &c, &summary);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_NEAR(find(c, "roc_auc")->value, 8.0 / 9.0, 1e-9);
    EXPECT_EQ(find(c, "roc_auc", "X")->value, 1.0);
    EXPECT_EQ(find(c, "roc_auc", "Y")->value, 1.0);
    EXPECT_NEAR(find(c, "specificity", "X")->value, 0.5, 1e-9);
    EXPECT_EQ(find(c, "sensitivity", "X")->value, 1.0);
    EXPECT_NEAR(find(c, "sensitivity", "Y")->value, 0.5, 1e-9);
    EXPECT_EQ(find(c, "specificity", "Y")->value, 1.0);
    EXPECT_NEAR(find(c, "balanced_error_rate", "Y")->value, 0.25, 1e-9);
    EXPECT_NE(summary.find("(Y)"), std::string::npos) << summary;
    // Pooled figures first, then each source's (the card tab heads each source's rows with its name).
    const auto first_of_source = std::find_if(c.metrics.begin(), c.metrics.end(), [](const rl::MetricValue& m) { return !m.source.empty(); });
    EXPECT_EQ(c.metrics.end() - first_of_source, 8);
    EXPECT_TRUE(std::all_of(first_of_source, c.metrics.end(), [](const rl::MetricValue& m) { return !m.source.empty(); }));
}

TEST_F(Report, RefusesFailedOrMissingPredictions) {
    const std::string truth = write("truth2.csv", "path,group,source,normal,pneumonia\na,g1,K,0,1\nb,g2,K,1,0\n");
    rl::ModelCard c = binary_card();
    std::string summary;
    const std::string failed = write("pred2.csv", "path,normal,pneumonia,decision,in_domain,note,error\na,,,,,,truncated JPEG\nb,0.9,0.1,normal,yes,,\n");
    EXPECT_NE(rl::report_evaluate(truth, failed, &c, &summary).message.find("a failed: truncated JPEG"), std::string::npos);
    const std::string missing = write("pred3.csv", "path,normal,pneumonia,decision,in_domain,note,error\nb,0.9,0.1,normal,yes,,\n");
    EXPECT_NE(rl::report_evaluate(truth, missing, &c, &summary).message.find("no prediction for a"), std::string::npos);
    const std::string renamed = write("pred4.csv", "path,healthy,pneumonia,decision,in_domain,note,error\n");
    EXPECT_NE(rl::report_evaluate(truth, renamed, &c, &summary).message.find("should be 'normal'"), std::string::npos);
    const std::string garbled = write("pred5.csv", "path,normal,pneumonia,decision,in_domain,note,error\na,0.2,0.8x,pneumonia,yes,,\nb,0.9,0.1,normal,yes,,\n");
    EXPECT_NE(rl::report_evaluate(truth, garbled, &c, &summary).message.find("pred5.csv:2: pneumonia '0.8x' is not a probability"),
              std::string::npos);
    const std::string unsure = write("pred7.csv", "path,normal,pneumonia,decision,in_domain,note,error\na,0.2,0.8,pneumonia,maybe,,\n");
    EXPECT_NE(rl::report_evaluate(truth, unsure, &c, &summary).message.find("in_domain 'maybe' is not yes or no"), std::string::npos);
    const std::string old = write("pred8.csv", "path,normal,pneumonia,decision,error\na,0.2,0.8,pneumonia,\n");
    EXPECT_NE(rl::report_evaluate(truth, old, &c, &summary).message.find("expected columns path, <labels>, decision, in_domain, note, error"),
              std::string::npos);
    const std::string sourceless = write("truth10.csv", "path,group,normal,pneumonia\na,g1,0,1\n");
    const std::string fine = write("pred10.csv", "path,normal,pneumonia,decision,in_domain,note,error\na,0.2,0.8,pneumonia,yes,,\n");
    EXPECT_NE(rl::report_evaluate(sourceless, fine, &c, &summary).message.find("expected columns path, group, source, <labels>"),
              std::string::npos);
}

TEST_F(Report, ReadsProbabilitiesTooSmallForAFloat) {
    // ONNX Runtime writes what it computes; 4e-40 is subnormal in float, which std::stof refuses.
    const std::string truth = write("truth6.csv", "path,group,source,normal,pneumonia\na,g1,K,0,1\nb,g2,K,1,0\n");
    const std::string pred = write("pred6.csv", "path,normal,pneumonia,decision,in_domain,note,error\na,4.3e-40,1,pneumonia,yes,,\nb,1,8.2e-43,normal,yes,,\n");
    rl::ModelCard c = binary_card();
    std::string summary;
    const rl::Status s = rl::report_evaluate(truth, pred, &c, &summary);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_EQ(find(c, "accuracy")->value, 1.0);
}
