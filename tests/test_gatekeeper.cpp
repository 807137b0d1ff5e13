// gatekeeper: parsing of the measured shares and the warning rule.
#include "gatekeeper.h"

#include <gtest/gtest.h>

namespace {

const char* kJson = R"({"model": "mednist", "share": {
  "chest_pneumonia": {"CXR": 0.99, "Hand": 0.01},
  "brain_mri": {"HeadCT": 0.9, "BreastMRI": 0.1}}})";
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
    EXPECT_DOUBLE_EQ(g.share.at("brain_mri").at("HeadCT"), 0.9);
}

TEST(Gatekeeper, RejectsBrokenDocumentsWithTheField) {
    rl::Gatekeeper g;
    EXPECT_NE(rl::gatekeeper_parse("[", &g).message.find("not a JSON object"), std::string::npos);
    EXPECT_NE(rl::gatekeeper_parse(R"({"share": {}})", &g).message.find("model"), std::string::npos);
    EXPECT_NE(rl::gatekeeper_parse(R"({"model": "m", "share": {"a": {"CXR": 2}}})", &g).message.find("a/CXR"),
              std::string::npos);
}

TEST(Gatekeeper, ChestFilmFitsThePneumoniaModel) {
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.0f, 0.0f, 0.97f, 0.01f, 0.01f, 0.01f}, "chest_pneumonia");
    EXPECT_EQ(v.kind, "CXR");
    EXPECT_TRUE(v.chosen_fits);
    EXPECT_EQ(v.suggested, (std::vector<std::string>{"chest_pneumonia"}));
    EXPECT_EQ(v.message.find("Warning"), std::string::npos);
}

TEST(Gatekeeper, HandOnTheChestModelWarnsBelowTheMinimumShare) {
    // 1 % of the chest model's images looked like hands: under kGatekeeperMinShare.
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f}, "chest_pneumonia");
    EXPECT_EQ(v.kind, "Hand");
    EXPECT_FALSE(v.chosen_fits);
    EXPECT_NE(v.message.find("Warning"), std::string::npos);
    EXPECT_NE(v.message.find("No shipped model"), std::string::npos);
}

TEST(Gatekeeper, SuggestsTheModelThatSawThisKind) {
    const auto v = rl::gatekeeper_judge(parsed(), kKinds, {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f}, "chest_pneumonia");
    EXPECT_FALSE(v.chosen_fits);
    EXPECT_EQ(v.suggested, (std::vector<std::string>{"brain_mri"}));
    EXPECT_NE(v.message.find("Suggested: brain_mri"), std::string::npos);
    // The gatekeeper model itself takes every kind.
    EXPECT_TRUE(rl::gatekeeper_judge(parsed(), kKinds, {1.0f, 0, 0, 0, 0, 0}, "mednist").chosen_fits);
}
