// domain: the cheap checks and the verdict on a model's domain distance.
#include "domain.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

rl::ModelCard card_with_domain() {
    rl::ModelCard c;
    c.name = "brain_mri";
    c.domain.output = "domain_distance";
    c.domain.images = "axial brain MRI slices";
    c.domain.threshold = 2.5;
    c.domain.validation_images = 300;
    c.domain.validation_median = 1.0;
    c.domain.validation_max = 3.0;
    return c;
}

}  // namespace

TEST(Domain, PrecheckRefusesFlatAndTinyImages) {
    const std::vector<float> varied = {0.1f, 0.5f, 0.2f, 0.9f};
    EXPECT_EQ(rl::domain_precheck(varied, 128, 100), "");
    EXPECT_EQ(rl::domain_precheck(std::vector<float>(16, 0.3f), 128, 128), "it is one flat grey level");
    EXPECT_EQ(rl::domain_precheck(varied, 31, 200), "it is 31 x 200 px, smaller than 32 px on a side");
    EXPECT_NE(rl::domain_precheck({}, 64, 64), "");
}

TEST(Domain, DistanceAboveTheThresholdIsOutOfDomain) {
    const rl::ModelCard c = card_with_domain();
    EXPECT_TRUE(rl::domain_judge(c, "", 2.5).in_domain);  // at the threshold counts as in
    const rl::DomainVerdict out = rl::domain_judge(c, "", 7.25);
    EXPECT_FALSE(out.in_domain);
    EXPECT_EQ(out.note, "This image does not look like the axial brain MRI slices brain_mri was trained on: no answer (domain "
                        "distance 7.25; held-out validation images: median 1.00, 99 % at most 2.50).");
    EXPECT_FALSE(rl::domain_judge(c, "", std::nan("")).in_domain);  // a broken distance is never in domain
}

TEST(Domain, PrecheckWinsAndCardsWithoutACheckRelyOnIt) {
    rl::ModelCard c = card_with_domain();
    const rl::DomainVerdict flat = rl::domain_judge(c, "it is one flat grey level", 0.1);
    EXPECT_FALSE(flat.in_domain);
    EXPECT_EQ(flat.note, "This image cannot be judged by brain_mri: it is one flat grey level. No answer.");
    c.domain = {};
    EXPECT_TRUE(rl::domain_judge(c, "", 1e9).in_domain);
    EXPECT_FALSE(rl::domain_judge(c, "it is one flat grey level", 0.0).in_domain);
}
