// folds: which members validate on which rows. Cross-fitted, a row's
// validation logits are its own fold's member's alone, never another's that
// trained on it; held out, every member's mean; mirrored, each network's mean
// over the image and its mirror.
#include "folds.h"

#include <gtest/gtest.h>

namespace {

std::vector<rl::Network> members_make(int count) {
    std::vector<rl::Network> out;
    for (int m = 0; m < count; ++m) {
        torch::manual_seed(uint64_t(m) + 1);
        out.emplace_back(std::vector<int>{4, 8}, 2, 0.0, 1);
        out.back()->eval();
    }
    return out;
}

}  // namespace

TEST(Folds, RowsInAndOutOfAFold) {
    const std::vector<int> fold = {-1, 0, 1, 0, -1, 1};
    EXPECT_TRUE(torch::equal(rl::folds_rows(fold, 0, true), torch::tensor({1, 3}, torch::kLong)));
    EXPECT_TRUE(torch::equal(rl::folds_rows(fold, 0, false), torch::tensor({0, 2, 4, 5}, torch::kLong)));
    EXPECT_TRUE(torch::equal(rl::folds_rows(fold, -1, false), torch::tensor({1, 2, 3, 5}, torch::kLong)));
    EXPECT_EQ(rl::folds_of_member(true, 2), 2);
    EXPECT_EQ(rl::folds_of_member(false, 2), 0);
}

TEST(Folds, CrossFittedRowsTakeTheirOwnFoldsMemberOnly) {
    std::vector<rl::Network> members = members_make(3);
    torch::manual_seed(9);
    const torch::Tensor images = torch::randn({7, 1, 16, 16});
    const std::vector<int> fold = {0, 1, 2, 1, 0, 2, 2};
    const torch::Tensor logits = rl::folds_validation_logits(members, images, fold, /*cross_fit=*/true, /*mirror=*/false);
    ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{7, 2}));
    for (int r = 0; r < 7; ++r) {
        torch::NoGradGuard no_grad;
        const torch::Tensor own = members[size_t(fold[size_t(r)])]->forward(images.narrow(0, r, 1))[0];
        EXPECT_TRUE(torch::allclose(logits[r], own, 1e-5, 1e-6)) << "row " << r;
        const torch::Tensor other = members[size_t((fold[size_t(r)] + 1) % 3)]->forward(images.narrow(0, r, 1))[0];
        EXPECT_FALSE(torch::allclose(logits[r], other, 1e-3, 1e-4)) << "row " << r;
    }
}

TEST(Folds, HeldOutRowsTakeEveryMembersMeanAndTrainingRowsNone) {
    std::vector<rl::Network> members = members_make(2);
    torch::manual_seed(10);
    const torch::Tensor images = torch::randn({4, 1, 16, 16});
    const std::vector<int> fold = {-1, 0, -1, 0};
    const torch::Tensor logits = rl::folds_validation_logits(members, images, fold, /*cross_fit=*/false, /*mirror=*/false);
    torch::NoGradGuard no_grad;
    const torch::Tensor mean = (members[0]->forward(images) + members[1]->forward(images)) / 2.0;
    for (int r : {1, 3}) EXPECT_TRUE(torch::allclose(logits[r], mean[r], 1e-5, 1e-6)) << "row " << r;
    for (int r : {0, 2}) EXPECT_TRUE(torch::equal(logits[r], torch::zeros({2}))) << "row " << r;
}

TEST(Folds, MirroredLogitsAverageTheImageAndItsMirror) {
    std::vector<rl::Network> members = members_make(2);
    torch::manual_seed(11);
    const torch::Tensor images = torch::randn({4, 1, 16, 16});
    const std::vector<int> fold = {0, 1, 1, 0};
    const torch::Tensor logits = rl::folds_validation_logits(members, images, fold, /*cross_fit=*/true, /*mirror=*/true);
    const torch::Tensor of_mirrors = rl::folds_validation_logits(members, images.flip({3}), fold, /*cross_fit=*/true, /*mirror=*/true);
    EXPECT_TRUE(torch::allclose(logits, of_mirrors, 1e-5, 1e-6));  // an image and its mirror score alike
    torch::NoGradGuard no_grad;
    for (int r = 0; r < 4; ++r) {
        rl::Network& own = members[size_t(fold[size_t(r)])];
        const torch::Tensor x = images.narrow(0, r, 1);
        EXPECT_TRUE(torch::allclose(logits[r], (own->forward(x) + own->forward(x.flip({3})))[0] / 2.0, 1e-5, 1e-6)) << "row " << r;
    }
    // Unmirrored, the networks do tell these images from their mirrors: the checks above have something to find.
    const torch::Tensor plain = rl::folds_validation_logits(members, images, fold, /*cross_fit=*/true, /*mirror=*/false);
    EXPECT_GT((plain - logits).abs().max().item<float>(), 1e-4);  // 100 times the tolerance above
}

TEST(Folds, TakeViewsConsecutiveRowsAndCopiesOthers) {
    const torch::Tensor t = torch::arange(12).view({6, 2});
    const torch::Tensor run = rl::folds_take(t, torch::tensor({2, 3, 4}, torch::kLong));
    EXPECT_EQ(run.data_ptr(), t[2].data_ptr());  // a view: held-out members share the training images
    EXPECT_TRUE(torch::equal(run, t.narrow(0, 2, 3)));
    const torch::Tensor gaps = rl::folds_take(t, torch::tensor({0, 3, 5}, torch::kLong));
    EXPECT_TRUE(torch::equal(gaps, torch::stack({t[0], t[3], t[5]})));
    EXPECT_EQ(rl::folds_take(t, torch::tensor(std::vector<int64_t>{}, torch::kLong)).size(0), 0);
}
