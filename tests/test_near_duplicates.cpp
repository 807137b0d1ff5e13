// near_duplicates: a mirrored, re-windowed copy joins its original's group;
// a different picture does not; a group joins whole.
#include "near_duplicates.h"

#include <gtest/gtest.h>

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
