// task: the card's data text follows the copy of the dataset that was read.
#include "task.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "fixtures.h"
#include "model_card.h"

namespace {

bool holds(const std::vector<std::string>& lines, const std::string& text) {
    return std::find(lines.begin(), lines.end(), text) != lines.end();
}

}  // namespace

// The shipped cards describe ../shared/data's copy: if the data folder changes,
// their text (counts, source) would no longer be true of what they were trained on.
TEST(Task, TheDataFolderIsTheCopyTheShippedCardsDescribe) {
    for (const rl::TaskConfig& task : rl::task_all()) {
        rl::DatasetListing listing;
        ASSERT_TRUE(rl::task_read(task, rl_test::data_dir(), &listing).ok()) << task.name;
        EXPECT_EQ(rl::task_listing_sha256(task, rl_test::data_dir(), listing), task.copy_listing_sha256) << task.name;
    }
}

// A card's text about its data is the trainer's, not edited by hand: when the
// trainer's text changes, the shipped cards must be re-exported (or the line
// mended in both places) so that the page says what the trainer would.
TEST(Task, TheShippedCardsCarryTheTrainersTextForTheirCopy) {
    for (const rl::TaskConfig& task : rl::task_all()) {
        const std::string path = std::string(RL_MODELS_DIR) + "/" + task.name + ".card.json";
        std::ifstream in(path);
        ASSERT_TRUE(in) << path;
        std::stringstream text;
        text << in.rdbuf();
        rl::ModelCard card;
        ASSERT_TRUE(rl::model_card_parse(text.str(), &card).ok()) << path;
        const rl::CopyText own = rl::task_copy_text(task, task.copy_listing_sha256, 0);
        EXPECT_EQ(card.task, own.title) << path;
        EXPECT_EQ(card.data.dataset, own.dataset) << path;
        EXPECT_EQ(card.data.source, own.source) << path;
        EXPECT_EQ(card.data.license, task.license) << path;
        EXPECT_EQ(card.intended_use, task.intended_use) << path;
        ASSERT_GE(card.limitations.size(), own.limitations.size()) << path;
        for (size_t i = 0; i < own.limitations.size(); ++i) EXPECT_EQ(card.limitations[i], own.limitations[i]) << path;
        // The domain check's sentence and the recipe's out-of-fold figures, which the reliability rule reads.
        EXPECT_EQ(card.domain.images, task.domain_images) << path;
        for (const rl::MetricValue& m : task.recipe_metrics) {
            const auto found = std::find_if(card.metrics.begin(), card.metrics.end(),
                                            [&](const rl::MetricValue& c) { return c.name == m.name && c.label == m.label; });
            ASSERT_NE(found, card.metrics.end()) << path << " lacks " << m.name;
            EXPECT_EQ(found->value, m.value) << path;
        }
    }
}

TEST(Task, AnotherCopyIsDescribedByItsOwnCountAndKeepsOnlyDatasetWideLimitations) {
    for (const rl::TaskConfig& task : rl::task_all()) {
        const rl::CopyText own = rl::task_copy_text(task, task.copy_listing_sha256, 123);
        EXPECT_EQ(own.title, task.copy_title.empty() ? task.title : task.copy_title);
        EXPECT_EQ(own.dataset, task.copy_dataset);
        EXPECT_EQ(own.source, task.copy_source);
        EXPECT_EQ(own.limitations.size(), task.limitations.size());

        const std::string other_sha(64, 'a');
        const rl::CopyText other = rl::task_copy_text(task, other_sha, 112120);
        EXPECT_EQ(other.title, task.title) << task.name;
        EXPECT_EQ(other.dataset, task.dataset_name + ", 112120 images listed in the copy read") << task.name;
        EXPECT_NE(other.source.find(other_sha), std::string::npos) << other.source;
        EXPECT_EQ(other.source.find(task.copy_source), std::string::npos) << task.name;
        for (const rl::Limitation& l : task.limitations) EXPECT_EQ(holds(other.limitations, l.text), !l.copy_only) << l.text;
        EXPECT_TRUE(holds(other.limitations, task.limitations.back().text)) << "not a medical device, whatever the copy";
    }
    // The subset's size is the subset's: NIH's shared copy has 846 images, the full download 112,120.
    const rl::TaskConfig* nih = rl::task_find("chest_nih14");
    for (const std::string& line : rl::task_copy_text(*nih, std::string(64, 'a'), 112120).limitations)
        EXPECT_EQ(line.find("846"), std::string::npos) << line;
}
