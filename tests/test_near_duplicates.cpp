// near_duplicates: a mirrored, re-windowed copy joins its original's group;
// a different picture does not; a group joins whole.
#include "near_duplicates.h"

#include <gtest/gtest.h>

#include <set>

namespace {

torch::Tensor picture(int seed) {
    torch::manual_seed(seed);
    return torch::rand({1, 1, 32, 32});
}

}  // namespace

TEST(NearDuplicates, MirroredRewindowedCopyJoinsTheOriginalsGroup) {
    const torch::Tensor a = picture(1), b = picture(2);
    const torch::Tensor copy = (a.flip(3) * 0.7 + 0.1 + 0.02 * picture(3)).clamp(0, 1);  // mirrored, darker, a little noise
    const torch::Tensor images = torch::cat({a, b, copy, picture(4)});
    std::vector<std::string> groups = {"g2", "g3", "g1", "g2"};  // picture 4 rides along in a's group
    const rl::NearDuplicateJoin join = rl::near_duplicates_join(images, &groups, 0.9);
    EXPECT_EQ(groups, (std::vector<std::string>{"g1", "g3", "g1", "g1"}));
    EXPECT_EQ(join.joined, 1);
    EXPECT_EQ(join.groups, 2);
    EXPECT_EQ(join.largest, 3);
}

TEST(NearDuplicates, UnrelatedPicturesJoinNothing) {
    std::vector<std::string> groups = {"a", "b"};
    const rl::NearDuplicateJoin join = rl::near_duplicates_join(torch::cat({picture(1), picture(2)}), &groups, 0.5);
    EXPECT_EQ(groups, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(join.joined, 0);
    EXPECT_EQ(join.largest, 1);
}

// The join compares 4x4 block means before full images. Differences that are
// constant on those blocks shrink exactly 4-fold there, the bound's limit, so
// copies made that way, at correlations around the threshold, would expose a
// filter that dropped a qualifying pair.
TEST(NearDuplicates, JoinsWhatComparingEveryFullPairJoins) {
    torch::manual_seed(5);
    auto blocky = [](int64_t n) { return torch::upsample_nearest2d(torch::rand({n, 1, 8, 8}), {32, 32}); };
    const torch::Tensor base = blocky(8);
    std::vector<torch::Tensor> images = {base};
    for (double strength : {0.15, 0.25, 0.35, 0.45}) images.push_back(base.flip(3) + strength * blocky(8));
    const torch::Tensor all = torch::cat(images);
    const int64_t n = all.size(0);
    const double threshold = 0.9;

    torch::Tensor x = all.flatten(1).to(torch::kDouble);
    x = x - x.mean(1, true);
    x = x / x.norm(2, 1, true);
    torch::Tensor m = all.flip(3).flatten(1).to(torch::kDouble);
    m = m - m.mean(1, true);
    m = m / m.norm(2, 1, true);
    const torch::Tensor alike = torch::maximum(x.mm(x.t()), x.mm(m.t())).ge(threshold);
    std::vector<int64_t> label(static_cast<size_t>(n));  // components by repeated relaxation: small n
    for (int64_t i = 0; i < n; ++i) label[size_t(i)] = i;
    for (bool changed = true; changed;) {
        changed = false;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j)
                if (alike[i][j].item<bool>() && label[size_t(j)] < label[size_t(i)]) label[size_t(i)] = label[size_t(j)], changed = true;
    }
    const int64_t expected_groups = int64_t(std::set<int64_t>(label.begin(), label.end()).size());
    ASSERT_GT(expected_groups, 8);  // the test covers pairs on both sides of the threshold
    ASSERT_LT(expected_groups, n - 8);

    std::vector<std::string> groups;
    for (int64_t i = 0; i < n; ++i) groups.push_back("g" + std::to_string(100 + i));
    const rl::NearDuplicateJoin join = rl::near_duplicates_join(all, &groups, threshold);
    EXPECT_EQ(join.groups, expected_groups);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) EXPECT_EQ(groups[size_t(i)] == groups[size_t(j)], label[size_t(i)] == label[size_t(j)]) << i << " " << j;
}
