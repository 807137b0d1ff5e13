// task: the card's data text follows the copy of the dataset that was read.
#include "task.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixtures.h"

namespace {

bool holds(const std::vector<std::string>& lines, const std::string& text) {
    return std::find(lines.begin(), lines.end(), text) != lines.end();
}

}  // namespace

// The shipped cards describe ../shared/data's copy: if the data folder changes,
// their text (counts, source) would no longer be true of what they were trained on.
TEST(Task, TheDataFolderIsTheCopyTheShippedCardsDescribe) {
    for (const rl::TaskConfig& task : rl::task_all()) {
        const std::string dir = rl_test::data_dir() + "/" + task.data_dir;
        rl::DatasetListing listing;
        ASSERT_TRUE(rl::task_read(task, dir, &listing).ok()) << task.name;
        EXPECT_EQ(rl::dataset_listing_sha256(listing, dir), task.copy_listing_sha256) << task.name;
    }
}

TEST(Task, AnotherCopyIsDescribedByItsOwnCountAndKeepsOnlyDatasetWideLimitations) {
    for (const rl::TaskConfig& task : rl::task_all()) {
        const rl::CopyText own = rl::task_copy_text(task, task.copy_listing_sha256, 123);
        EXPECT_EQ(own.dataset, task.copy_dataset);
        EXPECT_EQ(own.source, task.copy_source);
        EXPECT_EQ(own.limitations.size(), task.limitations.size());

        const std::string other_sha(64, 'a');
        const rl::CopyText other = rl::task_copy_text(task, other_sha, 112120);
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
