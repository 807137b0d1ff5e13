// metrics: checked against values published in the literature or worked out
// by hand in the comments.
#include "metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

// scikit-learn's documented example (roc_auc_score, average_precision_score,
// roc_curve): y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8].
const std::vector<float> kSkScores = {0.1f, 0.4f, 0.35f, 0.8f};
const std::vector<int> kSkLabels = {0, 0, 1, 1};

// Hanley & McNeil (Radiology 1982), Table 1: 5-point ratings of 58 normal and
// 51 abnormal CT images; area 0.893 with ties counted one half.
void hanley_mcneil(std::vector<float>* scores, std::vector<int>* labels) {
    const int normal[5] = {33, 6, 6, 11, 2}, abnormal[5] = {3, 2, 2, 11, 33};
    for (int rating = 0; rating < 5; ++rating) {
        for (int i = 0; i < normal[rating]; ++i) scores->push_back(float(rating + 1)), labels->push_back(0);
        for (int i = 0; i < abnormal[rating]; ++i) scores->push_back(float(rating + 1)), labels->push_back(1);
    }
}

}  // namespace

TEST(Metrics, RocAucMatchesHanleyMcNeilWithTies) {
    std::vector<float> scores;
    std::vector<int> labels;
    hanley_mcneil(&scores, &labels);
    EXPECT_NEAR(rl::roc_auc(scores, labels), 0.8932, 1e-4);
    for (float& s : scores) s = -s;
    EXPECT_NEAR(rl::roc_auc(scores, labels), 1.0 - 0.8932, 1e-4);
}

TEST(Metrics, RocAucAndAveragePrecisionMatchScikitLearn) {
    EXPECT_DOUBLE_EQ(rl::roc_auc(kSkScores, kSkLabels), 0.75);
    EXPECT_NEAR(rl::pr_auc(kSkScores, kSkLabels), 0.8333333, 1e-6);
}

TEST(Metrics, RocAucEdgeCases) {
    EXPECT_DOUBLE_EQ(rl::roc_auc({0.1f, 0.2f, 0.8f, 0.9f}, {0, 0, 1, 1}), 1.0);
    EXPECT_DOUBLE_EQ(rl::roc_auc({0.9f, 0.8f, 0.2f, 0.1f}, {0, 0, 1, 1}), 0.0);
    EXPECT_DOUBLE_EQ(rl::roc_auc({0.5f, 0.5f, 0.5f, 0.5f}, {0, 1, 0, 1}), 0.5);  // all tied
    EXPECT_TRUE(std::isnan(rl::roc_auc({0.1f, 0.2f}, {1, 1})));                   // one class
    EXPECT_DOUBLE_EQ(rl::pr_auc({0.1f, 0.2f, 0.8f}, {0, 0, 1}), 1.0);
    EXPECT_TRUE(std::isnan(rl::pr_auc({0.1f, 0.2f}, {0, 0})));
}

TEST(Metrics, RocCurveMatchesScikitLearnWithoutTheOrigin) {
    // sklearn: thresholds [inf, .8, .4, .35, .1], fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1].
    const auto points = rl::roc_curve(kSkScores, kSkLabels);
    ASSERT_EQ(points.size(), 4u);
    const double want[4][3] = {{0.8, 0.0, 0.5}, {0.4, 0.5, 0.5}, {0.35, 0.5, 1.0}, {0.1, 1.0, 1.0}};
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_NEAR(points[i].threshold, want[i][0], 1e-6);
        EXPECT_DOUBLE_EQ(points[i].fpr, want[i][1]);
        EXPECT_DOUBLE_EQ(points[i].tpr, want[i][2]);
    }
}

TEST(Metrics, ConfusionRatesByHand) {
    // 10 positives (8 called), 20 negatives (2 called).
    std::vector<float> scores;
    std::vector<int> labels;
    for (int i = 0; i < 10; ++i) scores.push_back(i < 8 ? 0.9f : 0.1f), labels.push_back(1);
    for (int i = 0; i < 20; ++i) scores.push_back(i < 2 ? 0.7f : 0.2f), labels.push_back(0);
    const rl::Confusion c = rl::confusion_at(scores, labels, 0.5);
    EXPECT_EQ(c.tp, 8);
    EXPECT_EQ(c.fn, 2);
    EXPECT_EQ(c.fp, 2);
    EXPECT_EQ(c.tn, 18);
    EXPECT_DOUBLE_EQ(c.sensitivity(), 0.8);
    EXPECT_DOUBLE_EQ(c.specificity(), 0.9);
    EXPECT_DOUBLE_EQ(c.ppv(), 0.8);
    EXPECT_DOUBLE_EQ(c.npv(), 0.9);
    EXPECT_DOUBLE_EQ(c.accuracy(), 26.0 / 30.0);
    EXPECT_NEAR(c.balanced_error_rate(), 0.15, 1e-12);
    EXPECT_EQ(rl::confusion_at(scores, labels, double(0.7f)).fp, 2);  // score == threshold is called positive
    EXPECT_TRUE(std::isnan(rl::Confusion{}.sensitivity()));
}

TEST(Metrics, ThresholdSelection) {
    // Youden J at .8, .4, .35, .1 is .5, 0, .5, 0: the tie goes to the higher threshold.
    EXPECT_NEAR(rl::threshold_youden(kSkScores, kSkLabels), 0.8, 1e-6);
    EXPECT_NEAR(rl::threshold_for_sensitivity(kSkScores, kSkLabels, 1.0), 0.35, 1e-6);
    EXPECT_NEAR(rl::threshold_for_sensitivity(kSkScores, kSkLabels, 0.5), 0.8, 1e-6);
    EXPECT_NEAR(rl::threshold_for_sensitivity(kSkScores, kSkLabels, 0.6), 0.35, 1e-6);
    EXPECT_TRUE(std::isnan(rl::threshold_youden({0.3f}, {1})));
}

TEST(Metrics, ExpectedCalibrationErrorByHand) {
    // Bin [0.9, 1.0): accuracy 0.5, confidence 0.9, weight 0.5 -> 0.2.
    // Bin [0.6, 0.7): accuracy 1.0, confidence 0.6, weight 0.5 -> 0.2.
    EXPECT_NEAR(rl::expected_calibration_error({0.9f, 0.9f, 0.6f, 0.6f}, {1, 0, 1, 1}, 10), 0.4, 1e-6);
    EXPECT_NEAR(rl::expected_calibration_error({1.0f, 1.0f}, {1, 1}, 10), 0.0, 1e-6);  // 1.0 joins the top bin
    EXPECT_NEAR(rl::expected_calibration_error({0.75f, 0.75f, 0.75f, 0.75f}, {1, 1, 1, 0}, 15), 0.0, 1e-6);
}

TEST(Metrics, MultiClassAccuracyAndOneVsRestAuc) {
    const std::vector<float> probs = {0.7f, 0.2f, 0.1f,   // label 0, right
                                      0.1f, 0.8f, 0.1f,   // label 1, right
                                      0.3f, 0.3f, 0.4f,   // label 2, right
                                      0.5f, 0.25f, 0.25f};  // label 1, wrong
    const std::vector<int> labels = {0, 1, 2, 1};
    EXPECT_DOUBLE_EQ(rl::multiclass_accuracy(probs, labels, 3), 0.75);
    const auto auc = rl::multiclass_roc_auc_ovr(probs, labels, 3);
    ASSERT_EQ(auc.size(), 3u);
    EXPECT_DOUBLE_EQ(auc[0], 1.0);   // 0.7 beats 0.1, 0.3, 0.5
    EXPECT_DOUBLE_EQ(auc[1], 0.75);  // 0.8, 0.25 vs 0.2, 0.3: 3 of 4 pairs
    EXPECT_DOUBLE_EQ(auc[2], 1.0);   // 0.4 beats 0.1, 0.1, 0.25
    EXPECT_DOUBLE_EQ(rl::mean_defined(auc), 2.75 / 3.0);
}

TEST(Metrics, MultiLabelAucPerLabelAndMeanOfDefined) {
    const std::vector<float> probs = {0.9f, 0.1f, 0.2f,  //
                                      0.2f, 0.3f, 0.1f,  //
                                      0.6f, 0.8f, 0.3f,  //
                                      0.1f, 0.4f, 0.4f};
    const std::vector<int> targets = {1, 0, 0,  //
                                      0, 1, 0,  //
                                      1, 0, 0,  //
                                      0, 1, 0};  // label 2 has no positives
    const auto auc = rl::multilabel_roc_auc(probs, targets, 3);
    EXPECT_DOUBLE_EQ(auc[0], 1.0);
    EXPECT_DOUBLE_EQ(auc[1], 0.5);  // positives .3, .4 vs negatives .1, .8: 2 of 4 pairs
    EXPECT_TRUE(std::isnan(auc[2]));
    EXPECT_DOUBLE_EQ(rl::mean_defined(auc), 0.75);
    EXPECT_TRUE(std::isnan(rl::mean_defined({NAN})));
}

TEST(Metrics, BootstrapMatchesTheBinomialInterval) {
    // Mean of 200 ones in 400: normal approximation 0.5 +- 1.96 * 0.025.
    std::vector<int> x(400);
    for (size_t i = 0; i < x.size(); ++i) x[i] = i % 2;
    const auto mean = [&](const std::vector<size_t>& idx) {
        double s = 0;
        for (size_t i : idx) s += x[i];
        return s / double(idx.size());
    };
    const rl::Interval ci = rl::bootstrap_ci(x.size(), mean, 2000, 42);
    EXPECT_DOUBLE_EQ(ci.value, 0.5);
    EXPECT_NEAR(ci.low, 0.451, 0.01);
    EXPECT_NEAR(ci.high, 0.549, 0.01);
    const rl::Interval again = rl::bootstrap_ci(x.size(), mean, 2000, 42);
    EXPECT_EQ(again.low, ci.low);  // same seed, same interval
    EXPECT_EQ(again.high, ci.high);
    EXPECT_NE(rl::bootstrap_ci(x.size(), mean, 2000, 43).low, ci.low);
}

TEST(Metrics, BootstrapSkipsResamplesWithOneClass) {
    const std::vector<float> scores = {0.2f, 0.9f, 0.4f};
    const std::vector<int> labels = {0, 1, 1};
    const auto auc = [&](const std::vector<size_t>& idx) {
        std::vector<float> s;
        std::vector<int> l;
        for (size_t i : idx) s.push_back(scores[i]), l.push_back(labels[i]);
        return rl::roc_auc(s, l);
    };
    const rl::Interval ci = rl::bootstrap_ci(scores.size(), auc, 500, 1);
    EXPECT_DOUBLE_EQ(ci.value, 1.0);
    EXPECT_DOUBLE_EQ(ci.low, 1.0);  // every two-class resample separates perfectly
    EXPECT_DOUBLE_EQ(ci.high, 1.0);
}

TEST(Metrics, RocPointAtFindsTheOperatingPointOfAThreshold) {
    const std::vector<rl::RocPoint> points = rl::roc_curve(kSkScores, kSkLabels);  // 0.8, 0.4, 0.35, 0.1
    const rl::RocPoint above_all = rl::roc_point_at(points, 0.9);
    EXPECT_EQ(above_all.tpr, 0.0);
    EXPECT_EQ(above_all.fpr, 0.0);
    const rl::RocPoint mid = rl::roc_point_at(points, 0.36);  // calls 0.4 and 0.8 positive
    EXPECT_DOUBLE_EQ(mid.tpr, 0.5);
    EXPECT_DOUBLE_EQ(mid.fpr, 0.5);
    const rl::RocPoint exact = rl::roc_point_at(points, 0.35f);  // a score equal to the threshold is positive
    EXPECT_DOUBLE_EQ(exact.tpr, 1.0);
    EXPECT_DOUBLE_EQ(exact.fpr, 0.5);
    EXPECT_DOUBLE_EQ(rl::roc_point_at(points, 0.0).fpr, 1.0);
}

TEST(Metrics, RocPointNearestPicksAThresholdThatLeadsBackToIt) {
    const std::vector<rl::RocPoint> points = rl::roc_curve(kSkScores, kSkLabels);  // (0, 0.5) (0.5, 0.5) (0.5, 1) (1, 1)
    const rl::RocPoint corner = rl::roc_point_nearest(points, 0.4, 0.95);
    EXPECT_DOUBLE_EQ(corner.threshold, 0.35f);
    const rl::RocPoint back = rl::roc_point_at(points, corner.threshold);
    EXPECT_EQ(back.fpr, corner.fpr);
    EXPECT_EQ(back.tpr, corner.tpr);
    EXPECT_DOUBLE_EQ(rl::roc_point_nearest(points, 0.0, 0.0).threshold, 0.8f);  // the strictest listed point
    EXPECT_DOUBLE_EQ(rl::roc_point_nearest(points, 0.95, 0.8).threshold, 0.1f);
}
