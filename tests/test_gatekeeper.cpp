// gatekeeper: parsing of the measured shares and the warning rule.
#include "gatekeeper.h"

#include <gtest/gtest.h>

namespace {

// Shaped like the measured table: chest films are mostly confident CXR and
// sometimes confident AbdomenCT (3 %, under the minimum share); brain MRIs
// are mostly unclear; hand films are almost never unclear.
const char* kJson = R"({"model": "mednist", "confident_at": 0.9, "share": {
  "chest_pneumonia": {"CXR": 0.67, "AbdomenCT": 0.03, "unclear": 0.30},
  "brain_mri": {"HeadCT": 0.2, "unclear": 0.8},
  "hand_xray": {"Hand": 0.98, "unclear": 0.02}}})";
const std::vector<std::string> kKinds = {"AbdomenCT", "BreastMRI", "CXR", "ChestCT", "Hand", "HeadCT"};

rl::Gatekeeper parsed() {
    rl::Gatekeeper g;
    EXPECT_TRUE(rl::gatekeeper_parse(kJson, &g).ok());
    return g;
}

}  // namespace

TEST(Gatekeeper, ParsesShares) {
    const rl::Gatekeeper g = parsed();
    EXPECT_EQ(g.model, "mednist");
    EXPECT_DOUBLE_EQ(g.confident_at, 0.9);
    EXPECT_DOUBLE_EQ(g.share.at("brain_mri").at("HeadCT"), 0.2);
}

TEST(Gatekeeper, RejectsBrokenDocumentsWithTheField) {
    rl::Gatekeeper g;
    EXPECT_NE(rl::gatekeeper_parse("[", &g).message.find("not a JSON object"), std::string::npos);
    EXPECT_NE(rl::gatekeeper_parse(R"({"share": {}})", &g).message.find("model"), std::string::npos);
    EXPECT_NE(rl::gatekeeper_parse(R"({"model": "m", "share": {}})", &g).message.find("confident_at"),
              std::string::npos);
    EXPECT_NE(rl::gatekeeper_parse(R"({"model": "m", "confident_at": 0, "share": {}})", &g).message.find("confident_at"),
              std::string::npos);
    EXPECT_NE(rl::gatekeeper_parse(R"({"model": "m", "confident_at": 0.9, "share": {"a": {"CXR": 2}}})", &g)
                  .message.find("a/CXR"),
              std::string::npos);
}

TEST(Gatekeeper, ChestFilmFitsThePneumoniaModel) {
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.0f, 0.0f, 0.97f, 0.01f, 0.01f, 0.01f}, "chest_pneumonia");
    EXPECT_EQ(v.kind, "CXR");
    EXPECT_TRUE(v.confident);
    EXPECT_TRUE(v.chosen_fits);
    EXPECT_EQ(v.suggested, (std::vector<std::string>{"chest_pneumonia"}));
    EXPECT_EQ(v.message.find("Hint"), std::string::npos);
}

TEST(Gatekeeper, ConfidentKindBelowTheMinimumShareHints) {
    // 3 % of the chest model's images were confident AbdomenCT calls: under kGatekeeperMinShare.
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.99f, 0.0f, 0.01f, 0.0f, 0.0f, 0.0f}, "chest_pneumonia");
    EXPECT_EQ(v.kind, "AbdomenCT");
    EXPECT_FALSE(v.chosen_fits);
    EXPECT_NE(v.message.find("Hint: Looks like AbdomenCT (99 %); chest_pneumonia was trained on other kinds"), std::string::npos);
    EXPECT_NE(v.message.find("No shipped model"), std::string::npos);
}

TEST(Gatekeeper, UncertainCallIsUnclearNotTheKind) {
    // The same AbdomenCT as the most probable class, but under the floor: the
    // chest model's data was often unclear, so no hint and no suggestion.
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.6f, 0.0f, 0.4f, 0.0f, 0.0f, 0.0f}, "chest_pneumonia");
    EXPECT_EQ(v.kind, "AbdomenCT");
    EXPECT_FALSE(v.confident);
    EXPECT_TRUE(v.chosen_fits);
    EXPECT_TRUE(v.suggested.empty());
    EXPECT_EQ(v.message, "Image kind unclear (closest: AbdomenCT, 60 %).");
    // A probability just under the floor never reads as the floor.
    EXPECT_NE(rl::gatekeeper_judge(parsed(), kKinds, {0.899f, 0.101f, 0, 0, 0, 0}, "").message.find("89 %"),
              std::string::npos);
}

TEST(Gatekeeper, UnclearImageHintsWhereTheDataWasRarelyUnclear) {
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.0f, 0.0f, 0.0f, 0.0f, 0.5f, 0.5f}, "hand_xray");
    EXPECT_FALSE(v.chosen_fits);
    EXPECT_NE(v.message.find("Hint: Image kind unclear"), std::string::npos);
    EXPECT_EQ(v.message.find("Try"), std::string::npos);
}

TEST(Gatekeeper, SuggestsTheModelThatSawThisKind) {
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f}, "chest_pneumonia");
    EXPECT_FALSE(v.chosen_fits);
    EXPECT_EQ(v.suggested, (std::vector<std::string>{"brain_mri"}));
    EXPECT_NE(v.message.find("Try brain_mri."), std::string::npos);
    // The gatekeeper model itself takes every kind.
    EXPECT_TRUE(rl::gatekeeper_judge(parsed(), kKinds, {1.0f, 0, 0, 0, 0, 0}, "mednist").chosen_fits);
}
