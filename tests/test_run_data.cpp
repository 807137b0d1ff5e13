// run_data: a run's images on a miniature Br35H built here. Groups whose
// label is disputed train and calibrate nothing but stay in test; held out,
// training rows come first; normalisation is measured on the images that
// train, never on validation or test; skipped files are listed per run;
// near duplicates are judged on the stored grey levels, not the model's input;
// a second source is split on its own and weighed to the pooled class mix.
#include "run_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "fixtures.h"
#include "scratch_test.h"

namespace fs = std::filesystem;

namespace {

constexpr int kGroups = 20, kPerGroup = 3;

class RunDataTest : public rl_test::ScratchTest {
protected:
    RunDataTest() : ScratchTest("rl-run-data") {}
    void SetUp() override {
        ScratchTest::SetUp();
        const fs::path brain = dir / "brain_mri";
        fs::create_directories(brain / "yes"), fs::create_directories(brain / "no");
        std::ofstream groups_csv(brain / "groups.csv");
        groups_csv << "path,label,group,group_size,patient\n";
        std::mt19937 rng(3);
        task.disputed.clear();  // the shipped list names Br35H's files
        task.sources = {{"brain_mri", "Br35H"}};  // the second source only where a test adds it
        for (int i = 0; i < kGroups * kPerGroup; ++i) {
            // Each image its own brightness, so that a mean over other rows than training's reads differently.
            const int group = i / kPerGroup, base = 2 * i;
            const std::string label = group % 2 ? "yes" : "no", rel = label + "/i" + std::to_string(i) + ".png";
            std::vector<uint8_t> pixels(16 * 16);
            for (uint8_t& v : pixels) v = uint8_t(base + int(rng() % 100));
            rl_test::file_write((brain / rel).string(), rl_test::png8_encode(16, 16, 1, pixels));
            groups_csv << rel << "," << label << ",g" << group << "," << kPerGroup << ",\n";
            if (i % kPerGroup == 0 && group % 5 == 0) {
                disputed_groups.insert("g" + std::to_string(group));
                task.disputed.push_back({"brain_mri/" + rel, "a test's dispute"});
            }
        }
        task.input.width = task.input.height = 16;
        task.near_duplicate_correlation = 0.0;  // the noise would not join, but this keeps the test to the split
        options.data_root = dir.string();
        options.run_dir = (dir / "run").string();
        fs::create_directories(options.run_dir);
    }

    // A sample's group in groups.csv, from its file name: i<k>.png is in group k / kPerGroup.
    std::string group_of(const rl::Sample& s) const {
        const std::string name = fs::path(s.path).stem().string();
        return "g" + std::to_string(std::stoi(name.substr(1)) / kPerGroup);
    }

    // Mean of the unnormalised pool rows `rows`.
    static double raw_mean(const rl::RunData& d, const torch::Tensor& rows) {
        return (d.pool.images.index_select(0, rows) * d.task.input.std + d.task.input.mean).mean().item<double>();
    }

    rl::TaskConfig task = *rl::task_find("brain_mri");
    std::set<std::string> disputed_groups;
    rl::RunDataOptions options;
};

}  // namespace

TEST_F(RunDataTest, DisputedGroupsStayOutOfTrainingAndValidationOnly) {
    rl::RunData d;
    ASSERT_EQ(disputed_groups.size(), 4u);
    const rl::Status s = rl::run_data_prepare(task, options, &d);
    ASSERT_TRUE(s.ok()) << s.message;
    int disputed_in_test = 0;
    for (const rl::Sample& smp : d.pool_samples) EXPECT_EQ(disputed_groups.count(group_of(smp)), 0u) << smp.path;
    for (const rl::Sample& smp : d.test_samples) disputed_in_test += int(disputed_groups.count(group_of(smp)));
    EXPECT_GT(d.held_out_count, 0);
    EXPECT_EQ(d.held_out_count + disputed_in_test, 4 * kPerGroup);
    EXPECT_EQ(int(d.pool_samples.size() + d.test_samples.size()) + d.held_out_count, kGroups * kPerGroup);
    EXPECT_EQ(d.pool.images.size(0), int64_t(d.pool_samples.size()));
}

TEST_F(RunDataTest, HeldOutTrainingRowsComeFirstAndSetTheNormalisation) {
    rl::RunData d;
    ASSERT_TRUE(rl::run_data_prepare(task, options, &d).ok());
    const int n = int(d.fold.size());
    ASSERT_GT(d.validation_count, 0);
    EXPECT_EQ(d.train_count + d.validation_count, n);
    for (int r = 0; r < n; ++r) EXPECT_EQ(d.fold[size_t(r)], r < d.train_count ? -1 : 0) << r;
    const torch::Tensor training = rl::run_data_training_rows(d);
    EXPECT_TRUE(torch::equal(training, torch::arange(int64_t(d.train_count))));
    EXPECT_NEAR(raw_mean(d, training), d.task.input.mean, 1e-4);
    // Validation's images differ in brightness, so a mean over the whole pool would not pass the line above.
    EXPECT_GT(std::abs(raw_mean(d, torch::arange(int64_t(n))) - d.task.input.mean), 1e-3);
    EXPECT_FALSE(d.pool.weights.defined()) << "one source: the library's own class-weighted loss";
    for (size_t r = 0; r < d.pool_samples.size(); ++r) {
        const int64_t label = d.pool.targets[int64_t(r)].item<int64_t>();
        EXPECT_EQ(label, d.pool_samples[r].targets[0]) << d.pool_samples[r].path;
    }
}

TEST_F(RunDataTest, CrossFittedEveryPoolRowTrainsAndHasAFold) {
    task.members = 3;
    task.cross_fit = true;
    rl::RunData d;
    ASSERT_TRUE(rl::run_data_prepare(task, options, &d).ok());
    const int n = int(d.fold.size());
    EXPECT_EQ(d.train_count, n);
    EXPECT_EQ(d.validation_count, n);
    std::set<int> folds(d.fold.begin(), d.fold.end());
    EXPECT_EQ(folds, (std::set<int>{0, 1, 2}));
    EXPECT_NEAR(raw_mean(d, torch::arange(int64_t(n))), d.task.input.mean, 1e-4);
}

TEST_F(RunDataTest, SkippedFilesAreListedForThisRunOnly) {
    std::ofstream(dir / "brain_mri/no/notes.txt") << "not an image";
    for (int run = 0; run < 2; ++run) {  // a second run in the same folder lists its own skips, not both runs'
        rl::RunData d;
        ASSERT_TRUE(rl::run_data_prepare(task, options, &d).ok());
    }
    std::ifstream in(options.run_dir + "/skipped.txt");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("notes.txt: skipped, not an image"), std::string::npos) << lines[0];
}

TEST_F(RunDataTest, NearDuplicatesAreJudgedOnStoredGreyLevelsWhateverTheModelsScaling) {
    // Two pictures, one an increasing remapping of the other's grey levels: equalised they are one picture, as
    // stored they correlate at about 0.86. Were the join to compare the model's input, the split would move with it.
    std::vector<uint8_t> a(16 * 16), b(16 * 16);
    for (size_t k = 0; k < a.size(); ++k) {
        a[k] = uint8_t(30 + (k * 7919) % 226);
        b[k] = uint8_t(26 + std::lround(229.0 * std::pow((a[k] - 30) / 225.0, 4.0)));
    }
    rl_test::file_write((dir / "brain_mri/no/a.png").string(), rl_test::png8_encode(16, 16, 1, a));
    rl_test::file_write((dir / "brain_mri/no/b.png").string(), rl_test::png8_encode(16, 16, 1, b));
    std::ofstream(dir / "brain_mri/groups.csv", std::ios::app) << "no/a.png,no,ga,1,\nno/b.png,no,gb,1,\n";
    task.near_duplicate_correlation = 0.95;
    task.input.scaling = rl::IntensityScaling::equalize;
    rl::RunData d;
    ASSERT_TRUE(rl::run_data_prepare(task, options, &d).ok());
    EXPECT_EQ(d.group_count, kGroups + 2);
}

TEST_F(RunDataTest, MissingDataFolderIsNamed) {
    options.data_root = (dir / "nowhere").string();
    rl::RunData d;
    const rl::Status s = rl::run_data_prepare(task, options, &d);
    EXPECT_NE(s.message.find("nowhere/brain_mri"), std::string::npos) << s.message;
}

TEST_F(RunDataTest, TwoSourcesAreEachSplitOnTheirOwnAndWeighedToThePooledClassMix) {
    // A second source of 30 groups, 9 in 10 of them tumours, as Sartaj is.
    const fs::path second = dir / "second";
    fs::create_directories(second / "yes"), fs::create_directories(second / "no");
    std::ofstream groups_csv(second / "groups.csv");
    groups_csv << "path,label,group,group_size,patient\n";
    for (int i = 0; i < 30 * kPerGroup; ++i) {
        const int group = i / kPerGroup;
        const std::string label = group % 10 ? "yes" : "no", rel = label + "/s" + std::to_string(i) + ".png";
        rl_test::file_write((second / rel).string(), rl_test::png8_encode(16, 16, 1, std::vector<uint8_t>(256, uint8_t(40 + i))));
        groups_csv << rel << "," << label << ",g" << group << "," << kPerGroup << ",\n";  // the same ids as brain_mri's: kept apart
    }
    groups_csv.close();
    task.sources = {{"brain_mri", "A"}, {"second", "B"}};
    rl::RunData d;
    const rl::Status s = rl::run_data_prepare(task, options, &d);
    ASSERT_TRUE(s.ok()) << s.message;
    std::map<std::string, std::set<int>> test_classes;
    for (const rl::Sample& smp : d.test_samples) test_classes[smp.source].insert(smp.targets[0]);
    EXPECT_EQ(test_classes["A"], (std::set<int>{0, 1}));
    EXPECT_EQ(test_classes["B"], (std::set<int>{0, 1})) << "B's 3 normal groups are a stratum of their own";
    // Weighted, each source has the pooled class mix, and each class's weights still average 1.
    std::map<std::string, double> weight, weight_tumour;
    std::map<int, double> class_weight, class_count;
    double tumours = 0;
    for (size_t r = 0; r < d.pool_samples.size(); ++r) {
        const rl::Sample& smp = d.pool_samples[r];
        const double w = d.pool.weights[int64_t(r)].item<double>();
        weight[smp.source] += w, weight_tumour[smp.source] += smp.targets[0] * w;
        class_weight[smp.targets[0]] += w, class_count[smp.targets[0]] += 1, tumours += smp.targets[0];
    }
    for (const std::string src : {"A", "B"})
        EXPECT_NEAR(weight_tumour[src] / weight[src], tumours / double(d.pool_samples.size()), 1e-5) << src;
    for (int c : {0, 1}) EXPECT_NEAR(class_weight[c] / class_count[c], 1.0, 1e-5) << c;
}
