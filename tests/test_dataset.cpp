// dataset: each reader on a miniature of its dataset's layout, built here,
// including the broken cases (empty class, missing column, missing files).
#include "dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "fixtures.h"
#include "scratch_test.h"

namespace fs = std::filesystem;

namespace {

class DatasetTest : public rl_test::ScratchTest {
protected:
    DatasetTest() : ScratchTest("rl-dataset") {}

    void image(const std::string& rel) {
        fs::create_directories((dir / rel).parent_path());
        rl_test::file_write((dir / rel).string(), rl_test::png8_encode(2, 2, 1, {1, 2, 3, 4}));
    }
    void text(const std::string& rel, const std::string& content) {
        fs::create_directories((dir / rel).parent_path());
        std::ofstream(dir / rel) << content;
    }
    // A real DICOM file from the data folder (never copied into the repository).
    void dicom(const std::string& rel) {
        fs::create_directories((dir / rel).parent_path());
        fs::copy_file(fs::path(rl_test::data_dir()) / "dicom/cr_chest_siim_8bit_jpeg_baseline.dcm", dir / rel);
    }
    std::string rel(const rl::Sample& s) const { return fs::relative(s.path, dir).generic_string(); }

};

}  // namespace

TEST_F(DatasetTest, ClassFoldersListImagesInLabelOrderAndReportOthers) {
    image("yes/y1.jpg"), image("yes/y0.png"), image("no/n0.png");
    text("no/notes.txt", "not an image");
    rl::DatasetListing d;
    ASSERT_TRUE(rl::dataset_read_class_folders(dir.string(), {{"no", "no_tumor"}, {"yes", "tumor"}}, &d).ok());
    EXPECT_EQ(d.labels, (std::vector<std::string>{"no_tumor", "tumor"}));
    ASSERT_EQ(d.samples.size(), 3u);
    EXPECT_EQ(rel(d.samples[0]), "no/n0.png");
    EXPECT_EQ(d.samples[0].targets, std::vector<int>{0});
    EXPECT_EQ(rel(d.samples[2]), "yes/y1.jpg");
    EXPECT_EQ(d.samples[2].targets, std::vector<int>{1});
    ASSERT_EQ(d.problems.size(), 1u);
    EXPECT_NE(d.problems[0].find("notes.txt: skipped, not an image"), std::string::npos);
}

TEST_F(DatasetTest, EmptyOrMissingClassFolderStopsWithItsName) {
    image("yes/y0.png");
    fs::create_directories(dir / "no");
    rl::DatasetListing d;
    rl::Status s = rl::dataset_read_class_folders(dir.string(), {{"no", "a"}, {"yes", "b"}}, &d);
    EXPECT_NE(s.message.find("/no: class folder has no images"), std::string::npos) << s.message;
    s = rl::dataset_read_class_folders(dir.string(), {{"maybe", "a"}}, &d);
    EXPECT_NE(s.message.find("/maybe: class folder missing"), std::string::npos) << s.message;
}

TEST_F(DatasetTest, KermanyPoolsSplitsAndGroupsByPatient) {
    image("chest_xray/train/PNEUMONIA/person12_bacteria_3.jpeg");
    image("chest_xray/test/PNEUMONIA/person12_virus_40.jpeg");
    image("chest_xray/train/NORMAL/IM-0115-0001.jpeg");
    image("chest_xray/val/NORMAL/NORMAL2-IM-0427-0001.jpeg");
    rl::DatasetListing d;
    ASSERT_TRUE(rl::dataset_read_kermany(dir.string(), &d).ok());
    ASSERT_EQ(d.samples.size(), 4u);
    std::map<std::string, std::string> group;
    for (const auto& s : d.samples) group[fs::path(s.path).stem().string()] = s.group;
    EXPECT_EQ(group["person12_bacteria_3"], group["person12_virus_40"]);  // same child, train and test
    EXPECT_EQ(group["IM-0115-0001"], "patient:IM-0115");
    EXPECT_EQ(group["NORMAL2-IM-0427-0001"], "patient:NORMAL2-IM-0427");
}

TEST_F(DatasetTest, KermanyWithoutAClassFails) {
    image("chest_xray/train/NORMAL/IM-0001-0001.jpeg");
    rl::DatasetListing d;
    EXPECT_NE(rl::dataset_read_kermany(dir.string(), &d).message.find("no PNEUMONIA images"), std::string::npos);
}

TEST_F(DatasetTest, NihReadsFindingsAndPatientsAndSkipsBadRows) {
    image("images_001/images/00000001_000.png");
    image("images/00000001_001.png");
    image("images/00000002_000.png");
    image("images/00000003_000.png");
    text("Data_Entry_2017.csv",
         "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\n"
         "00000001_000.png,Cardiomegaly|Effusion,0,1,57,M,PA,2682,2749,0.143,0.143\n"
         "00000001_001.png,No Finding,1,1,58,M,PA,2894,2729,0.143,0.143\n"
         "00000002_000.png,Hernia,0,2,80,M,PA,2500,2048,0.171,0.171\n"
         "00000003_000.png,Unicorn,0,3,80,M,PA,2500,2048,0.171,0.171\n"
         "00000009_000.png,Mass,0,9,80,M,PA,2500,2048,0.171,0.171\n");
    rl::DatasetListing d;
    ASSERT_TRUE(rl::dataset_read_nih(dir.string(), &d).ok());
    ASSERT_EQ(d.labels.size(), 14u);
    ASSERT_EQ(d.samples.size(), 3u);
    std::vector<int> want(14, 0);
    want[1] = want[2] = 1;  // Cardiomegaly, Effusion
    EXPECT_EQ(d.samples[0].targets, want);
    EXPECT_EQ(d.samples[1].targets, std::vector<int>(14, 0));
    EXPECT_EQ(d.samples[0].group, d.samples[1].group);
    EXPECT_EQ(d.samples[2].targets[13], 1);  // Hernia is last
    ASSERT_EQ(d.problems.size(), 2u);
    EXPECT_NE(d.problems[0].find(":5: skipped, unknown finding 'Unicorn'"), std::string::npos) << d.problems[0];
    EXPECT_NE(d.problems[1].find(":6: skipped, no image file 00000009_000.png"), std::string::npos) << d.problems[1];
}

TEST_F(DatasetTest, NihMissingColumnIsNamed) {
    text("Data_Entry_2017.csv", "Image Index,Labels,Follow-up #,Patient ID\n");
    rl::DatasetListing d;
    const rl::Status s = rl::dataset_read_nih(dir.string(), &d);
    EXPECT_NE(s.message.find("Data_Entry_2017.csv: column 2 should be 'Finding Labels'"), std::string::npos) << s.message;
}

TEST_F(DatasetTest, MiasMarksFilmsWithAnyAbnormalityAndPairsWomen) {
    image("all-mias/mdb001.pgm"), image("all-mias/mdb002.jpg"), image("all-mias/mdb005.png"), image("all-mias/mdb006.png");
    text("all-mias/Info.txt",
         "MIAS header text\n\nmdb001 G CIRC B 535 425 197\nmdb002 G NORM\nmdb005 F CIRC B 477 133 30\n"
         "mdb005 F CIRC B 500 168 26\nmdb006 F NORM\nmdb007 G NORM\n");
    rl::DatasetListing d;
    ASSERT_TRUE(rl::dataset_read_mias(dir.string(), &d).ok());
    ASSERT_EQ(d.samples.size(), 4u);
    EXPECT_EQ(d.samples[0].targets, std::vector<int>{1});
    EXPECT_EQ(d.samples[1].targets, std::vector<int>{0});
    EXPECT_EQ(d.samples[0].group, d.samples[1].group);  // mdb001 + mdb002: one woman
    EXPECT_EQ(d.samples[2].group, d.samples[3].group);  // mdb005 + mdb006
    EXPECT_NE(d.samples[0].group, d.samples[2].group);
    ASSERT_EQ(d.problems.size(), 1u);
    EXPECT_NE(d.problems[0].find("mdb007: skipped, listed in Info.txt but no image file"), std::string::npos);
}

TEST_F(DatasetTest, GroupsAndDuplicatesMergeAcrossFiles) {
    for (const char* f : {"yes/a.jpg", "yes/b.jpg", "no/c.jpg", "no/d.jpg", "no/e.jpg"}) image(f);
    text("groups.csv", "path,label,group,group_size,patient\nyes/a.jpg,yes,g1,2,\nyes/b.jpg,yes,g1,2,\nno/c.jpg,no,g2,1,\n");
    text("duplicates.csv", "file,identical_to,file_label,identical_to_label\nno/d.jpg,no/c.jpg,no,no\n");
    rl::DatasetListing d;
    ASSERT_TRUE(rl::dataset_read_class_folders(dir.string(), {{"no", "no"}, {"yes", "yes"}}, &d).ok());
    ASSERT_TRUE(rl::dataset_groups_merge(dir.string(), &d).ok());
    std::map<std::string, std::string> g;
    for (const auto& s : d.samples) g[rel(s)] = s.group;
    EXPECT_EQ(g["yes/a.jpg"], g["yes/b.jpg"]);
    EXPECT_EQ(g["no/c.jpg"], g["no/d.jpg"]);
    EXPECT_NE(g["no/e.jpg"], g["no/c.jpg"]);
    EXPECT_NE(g["yes/a.jpg"], g["no/c.jpg"]);
}

TEST_F(DatasetTest, ListingDigestFollowsPathsSizesAndLabelsNotOrder) {
    image("yes/y0.png"), image("yes/y1.png"), image("no/n0.png");
    const auto digest = [&] {
        rl::DatasetListing d;
        EXPECT_TRUE(rl::dataset_read_class_folders(dir.string(), {{"no", "no_tumor"}, {"yes", "tumor"}}, &d).ok());
        return d;
    };
    rl::DatasetListing d = digest();
    const std::string first = rl::dataset_listing_sha256(d, dir.string());
    EXPECT_EQ(first.size(), 64u);
    std::reverse(d.samples.begin(), d.samples.end());
    EXPECT_EQ(rl::dataset_listing_sha256(d, dir.string()), first);
    EXPECT_EQ(rl::dataset_listing_sha256(d, dir.string() + "/"), first) << "a trailing slash on --data";

    rl_test::file_write((dir / "yes/y1.png").string(), rl_test::png8_encode(3, 3, 1, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
    const std::string resized = rl::dataset_listing_sha256(digest(), dir.string());
    EXPECT_NE(resized, first) << "another encoding of one image";
    fs::rename(dir / "yes/y1.png", dir / "no/y1.png");
    EXPECT_NE(rl::dataset_listing_sha256(digest(), dir.string()), resized) << "one image relabelled";
}

TEST_F(DatasetTest, EveryReaderAcceptsDicomWhereItAcceptsPng) {
    image("cls/yes/y0.png"), dicom("cls/no/n0.dcm");
    rl::DatasetListing d;
    ASSERT_TRUE(rl::dataset_read_class_folders((dir / "cls").string(), {{"no", "a"}, {"yes", "b"}}, &d).ok());
    ASSERT_EQ(d.samples.size(), 2u);
    EXPECT_EQ(rel(d.samples[0]), "cls/no/n0.dcm");

    dicom("nih/images/00000001_000.dcm");  // a DICOM copy keeps the PNG's name stem
    text("nih/Data_Entry_2017.csv", "Image Index,Finding Labels,Follow-up #,Patient ID\n00000001_000.png,Mass,0,1\n");
    rl::DatasetListing nih;
    ASSERT_TRUE(rl::dataset_read_nih((dir / "nih").string(), &nih).ok());
    ASSERT_EQ(nih.samples.size(), 1u);
    EXPECT_EQ(rel(nih.samples[0]), "nih/images/00000001_000.dcm");

    dicom("mias/mdb001.dcm");
    text("mias/Info.txt", "mdb001 G CIRC B 535 425 197\n");
    rl::DatasetListing mias;
    ASSERT_TRUE(rl::dataset_read_mias((dir / "mias").string(), &mias).ok());
    ASSERT_EQ(mias.samples.size(), 1u);
    EXPECT_EQ(rel(mias.samples[0]), "mias/mdb001.dcm");
}
