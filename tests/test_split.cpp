// split: no group on two sides, fractions and label balance kept, same seed
// same split.
#include "split.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace {

std::vector<rl::Sample> samples_make(int groups, int per_group) {
    std::vector<rl::Sample> out;
    for (int g = 0; g < groups; ++g)
        for (int i = 0; i < per_group + g % 3; ++i)
            out.push_back({"img" + std::to_string(g) + "_" + std::to_string(i), {g % 4 == 0 ? 1 : 0}, "g" + std::to_string(g), {}});
    return out;
}

}  // namespace

TEST(Split, GroupsNeverStraddleSides) {
    const auto samples = samples_make(200, 3);
    const auto sides = rl::split_by_group(samples, 0.15, 0.15, 7);
    std::map<std::string, std::set<rl::Split>> seen;
    for (size_t i = 0; i < samples.size(); ++i) seen[samples[i].group].insert(sides[i]);
    for (const auto& [group, where] : seen) EXPECT_EQ(where.size(), 1u) << group;
}

TEST(Split, FractionsAndLabelBalanceHold) {
    const auto samples = samples_make(400, 2);
    const auto sides = rl::split_by_group(samples, 0.2, 0.2, 3);
    std::map<rl::Split, int> count, positives;
    for (size_t i = 0; i < samples.size(); ++i) count[sides[i]] += 1, positives[sides[i]] += samples[i].targets[0];
    const double n = double(samples.size());
    EXPECT_NEAR(count[rl::Split::test] / n, 0.2, 0.02);
    EXPECT_NEAR(count[rl::Split::validation] / n, 0.2, 0.02);
    for (rl::Split s : {rl::Split::train, rl::Split::validation, rl::Split::test})
        EXPECT_NEAR(double(positives[s]) / count[s], 0.25, 0.04) << rl::split_name(s);
}

TEST(Split, SameSeedSameSplitOtherSeedOther) {
    const auto samples = samples_make(100, 2);
    EXPECT_EQ(rl::split_by_group(samples, 0.15, 0.15, 1), rl::split_by_group(samples, 0.15, 0.15, 1));
    EXPECT_NE(rl::split_by_group(samples, 0.15, 0.15, 1), rl::split_by_group(samples, 0.15, 0.15, 2));
}

TEST(Split, GroupsHoldingAListedFileAreMarkedWhole) {
    const std::vector<rl::Sample> samples = {{"data/brain/no/no1051.jpg", {0}, "a", {}}, {"data/brain/no/no152.jpg", {0}, "a", {}},
                                             {"data/brain/no/no10510.jpg", {0}, "b", {}}, {"data/brain/yes/xno/no1051.jpg", {1}, "c", {}},
                                             {"data/brain/no/y1.jpg", {0}, "d", {}}, {"data/brain/no/no26.jpg", {0}, "a", {}}};
    // "no/no1051.jpg" names the first file only, not a longer name or another folder ending in "no"; its group goes whole.
    const std::vector<bool> expected = {true, true, false, false, false, true};
    EXPECT_EQ(rl::split_groups_holding(samples, {"no/no1051.jpg"}), expected);
    EXPECT_EQ(rl::split_groups_holding(samples, {}), std::vector<bool>(samples.size(), false));
}

TEST(Split, FoldsKeepGroupsWholeAndBalanceSizeAndLabels) {
    const auto samples = samples_make(300, 2);
    std::vector<size_t> rows;  // every third sample out, as test and held-out images are
    for (size_t i = 0; i < samples.size(); ++i)
        if (i % 3 != 0) rows.push_back(i);
    const std::vector<int> folds = rl::split_folds(samples, rows, 4, 5);
    ASSERT_EQ(folds.size(), rows.size());
    std::map<std::string, std::set<int>> seen;
    std::map<int, int> count, positives;
    for (size_t r = 0; r < rows.size(); ++r) {
        ASSERT_GE(folds[r], 0);
        ASSERT_LT(folds[r], 4);
        seen[samples[rows[r]].group].insert(folds[r]);
        count[folds[r]] += 1, positives[folds[r]] += samples[rows[r]].targets[0];
    }
    for (const auto& [group, where] : seen) EXPECT_EQ(where.size(), 1u) << group;
    for (int f = 0; f < 4; ++f) {
        EXPECT_NEAR(count[f] / double(rows.size()), 0.25, 0.01) << f;
        EXPECT_NEAR(double(positives[f]) / count[f], 0.25, 0.03) << f;
    }
    EXPECT_EQ(folds, rl::split_folds(samples, rows, 4, 5));
    EXPECT_NE(folds, rl::split_folds(samples, rows, 4, 6));
}
