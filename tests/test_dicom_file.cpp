// The native DICOM reader on the 31 real files of <data>/dicom: every
// rendering must equal DCMTK dcm2pnm's (manifest.csv holds the SHA-256 of its
// 8-bit output for the exact options), and hostile files made from them must
// give a message naming the file and the reason, never a crash (this binary
// also runs under ASan/UBSan).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "dicom_file.h"
#include "fixtures.h"
#include "scratch_test.h"

namespace {

using rl::DicomVoi;

std::string sha256_hex(const std::vector<uint8_t>& bytes) {
    unsigned char digest[32];
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    std::string hex;
    char buf[3];
    for (unsigned int i = 0; i < size; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", digest[i]);
        hex += buf;
    }
    return hex;
}

// manifest.csv rows as column -> value (quoted fields may hold commas).
std::vector<std::map<std::string, std::string>> manifest_read() {
    std::ifstream in(rl_test::data_dir() + "/dicom/manifest.csv");
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> fields(1);
        bool quoted = false;
        for (char c : line) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) fields.emplace_back();
            else fields.back() += c;
        }
        rows.push_back(fields);
    }
    std::vector<std::map<std::string, std::string>> out;
    for (size_t r = 1; r < rows.size(); ++r) {
        std::map<std::string, std::string> row;
        for (size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) row[rows[0][c]] = rows[r][c];
        out.push_back(row);
    }
    return out;
}

// dcm2pnm's VOI options as the pipeline's choice.
DicomVoi voi_from_options(const std::string& options) {
    std::istringstream in(options);
    std::string word;
    while (in >> word) {
        if (word == "--use-window" || word == "--use-voi-lut") {
            int n = 0;
            in >> n;
            return {word == "--use-window" ? DicomVoi::kWindow : DicomVoi::kLut, n - 1};
        }
        if (word == "--min-max-window") return {DicomVoi::kMinMax, 0};
    }
    return {};  // colour: no VOI
}

std::string render_hash(const rl::DicomImage& image, DicomVoi voi, bool all_frames) {
    std::vector<uint8_t> payload;
    voi.all_frames = all_frames;
    for (int f = 0; f < (all_frames ? image.header.frames : 1); ++f) {
        rl::DicomRendering r;
        const rl::Status s = rl::dicom_render(image, f, voi, &r);
        if (!s.ok()) return s.message;
        payload.insert(payload.end(), r.pixels.begin(), r.pixels.end());
    }
    return sha256_hex(payload);
}

TEST(DicomFile, EveryRealFileRendersAsDcm2pnm) {
    const auto manifest = manifest_read();
    ASSERT_EQ(manifest.size(), 31u) << "expected the 31 files of " << rl_test::data_dir() << "/dicom";
    for (const auto& row : manifest) {
        const std::string path = rl_test::data_dir() + "/dicom/" + row.at("file");
        SCOPED_TRACE(path);
        rl::DicomImage image;
        const rl::Status s = rl::dicom_file_read(path, &image);
        ASSERT_TRUE(s.ok()) << s.message;
        EXPECT_EQ(image.header.transfer_syntax, row.at("transfer_syntax_uid"));
        EXPECT_EQ(image.header.photometric_in_file, row.at("photometric_interpretation"));
        const DicomVoi voi = voi_from_options(row.at("render_options"));
        EXPECT_EQ(render_hash(image, voi, false), row.at("render_sha256"));
        if (!row.at("render_all_frames_sha256").empty()) {
            EXPECT_EQ(render_hash(image, voi, true), row.at("render_all_frames_sha256"));
        }
        std::istringstream extras(row.at("render_extra"));  // "--use-window 2=<sha>; ..."
        std::string extra;
        while (std::getline(extras, extra, ';')) {
            const size_t eq = extra.find('=');
            if (eq == std::string::npos) continue;
            EXPECT_EQ(render_hash(image, voi_from_options(extra.substr(0, eq)), false), extra.substr(eq + 1)) << extra;
        }
    }
}

TEST(DicomFile, DefaultPresetIsWhatDcm2pnmWasAskedFor) {
    // The app opens a file with the first preset: the file's first window,
    // else its first VOI LUT, else min-max, as the manifest's options say.
    for (const auto& row : manifest_read()) {
        rl::DicomImage image;
        ASSERT_TRUE(rl::dicom_file_read(rl_test::data_dir() + "/dicom/" + row.at("file"), &image).ok());
        const auto presets = rl::dicom_voi_presets(image);
        const DicomVoi want = voi_from_options(row.at("render_options"));
        if (rl::dicom_is_colour(image.header)) {
            EXPECT_TRUE(presets.empty()) << row.at("file");
            continue;
        }
        ASSERT_FALSE(presets.empty());
        EXPECT_EQ(presets.front().voi.kind, want.kind) << row.at("file");
        EXPECT_EQ(presets.front().voi.index, want.index) << row.at("file");
    }
}

TEST(DicomFile, ModelViewIsTheDefaultRenderingInGrey) {
    const std::string path = rl_test::data_dir() + "/dicom/cr_chest_siim_8bit_jpeg_baseline.dcm";
    rl::GrayImage gray;
    ASSERT_TRUE(rl::dicom_file_gray(path, &gray).ok());
    rl::DicomImage image;
    ASSERT_TRUE(rl::dicom_file_read(path, &image).ok());
    rl::DicomRendering r;
    ASSERT_TRUE(rl::dicom_render(image, 0, rl::dicom_voi_presets(image).front().voi, &r).ok());
    EXPECT_EQ(gray.max_value, 255);
    EXPECT_EQ(std::vector<uint16_t>(r.pixels.begin(), r.pixels.end()), gray.pixels);
}

class DicomHostile : public rl_test::ScratchTest {
  protected:
    DicomHostile() : ScratchTest("rl-dicom-hostile") {}

    static rl_test::Bytes original(const std::string& name) {
        std::ifstream in(rl_test::data_dir() + "/dicom/" + name, std::ios::binary);
        return rl_test::Bytes(std::istreambuf_iterator<char>(in), {});
    }
    // Reads `bytes` as `name`; the error must name the file.
    std::string read_error(const std::string& name, const rl_test::Bytes& bytes) {
        const std::string path = (dir / name).string();
        rl_test::file_write(path, bytes);
        rl::DicomImage image;
        const rl::Status s = rl::dicom_file_read(path, &image);
        if (s.ok()) return "";
        EXPECT_EQ(s.message.rfind(path, 0), 0u) << s.message;
        return s.message;
    }
    static size_t find(const rl_test::Bytes& b, const std::string& needle) {
        return size_t(std::search(b.begin(), b.end(), needle.begin(), needle.end()) - b.begin());
    }
};

TEST_F(DicomHostile, TruncatedFilesFailWithTheirNameOrLoseNothing) {
    for (const char* name : {"mr_brain_mosaic_siemens_explicit_le.dcm", "mr_brain_mosaic_siemens_rle.dcm",
                             "cr_tibia_fuji_mono1_jpeg_lossless_sv1.dcm", "mr_brain_mosaic_siemens_j2k_lossless.dcm",
                             "ot_testpattern_8bit_deflate.dcm", "mr_brain_mosaic_siemens_jpegls_lossless.dcm"}) {
        const rl_test::Bytes bytes = original(name);
        rl::DicomImage whole;
        ASSERT_TRUE(rl::dicom_file_read(rl_test::data_dir() + "/dicom/" + name, &whole).ok());
        for (double keep : {0.05, 0.5, 0.9, 0.999}) {
            rl_test::Bytes cut(bytes.begin(), bytes.begin() + long(double(bytes.size()) * keep));
            // A cut inside trailing padding or a deflate stream's end may lose
            // no pixel; then the pixels must be the whole file's.
            if (read_error(std::string("cut_") + name, cut).empty()) {
                rl::DicomImage image;
                ASSERT_TRUE(rl::dicom_file_read((dir / (std::string("cut_") + name)).string(), &image).ok());
                EXPECT_EQ(image.samples, whole.samples) << name << " kept " << keep;
            }
        }
    }
}

TEST_F(DicomHostile, UnknownTransferSyntaxIsNamed) {
    rl_test::Bytes bytes = original("mr_brain_mosaic_siemens_jpeg_lossless_sv1.dcm");
    const std::string uid = "1.2.840.10008.1.2.4.70";
    const size_t at = find(bytes, uid);
    ASSERT_LT(at, bytes.size());
    std::copy_n("1.2.840.10008.1.2.4.99", uid.size(), bytes.begin() + long(at));  // same length, not a syntax
    const std::string error = read_error("unknown_syntax.dcm", bytes);
    EXPECT_NE(error, "");
}

TEST_F(DicomHostile, LyingLengthsAndWrongPixelSizeFail) {
    rl_test::Bytes bytes = original("mr_brain_mosaic_siemens_explicit_le.dcm");
    // Rows (0028,0010) US 2 bytes: claim 4096 rows, far more than Pixel Data holds.
    const uint8_t rows_tag[] = {0x28, 0x00, 0x10, 0x00, 'U', 'S', 0x02, 0x00};
    const size_t at = size_t(std::search(bytes.begin(), bytes.end(), rows_tag, rows_tag + 8) - bytes.begin());
    ASSERT_LT(at, bytes.size());
    rl_test::Bytes tall = bytes;
    tall[at + 8] = 0x00;
    tall[at + 9] = 0x10;
    EXPECT_NE(read_error("wrong_pixel_size.dcm", tall).find("Pixel Data holds"), std::string::npos);
    // The Pixel Data length field claims 2 GB.
    const uint8_t pixel_tag[] = {0xe0, 0x7f, 0x10, 0x00, 'O', 'W', 0, 0};
    const size_t pd = size_t(std::search(bytes.begin(), bytes.end(), pixel_tag, pixel_tag + 8) - bytes.begin());
    ASSERT_LT(pd, bytes.size());
    rl_test::Bytes lying = bytes;
    lying[pd + 11] = 0x7f;
    EXPECT_NE(read_error("lying_length.dcm", lying), "");
}

TEST_F(DicomHostile, DeepSequencesFailWithoutCrashing) {
    // A Part 10 header, then 100000 nested undefined-length sequences.
    rl_test::Bytes bytes(128, 0);
    for (char c : std::string("DICM")) bytes.push_back(uint8_t(c));
    const rl_test::Bytes meta_group = {0x02, 0x00, 0x10, 0x00, 'U', 'I', 20, 0};
    bytes.insert(bytes.end(), meta_group.begin(), meta_group.end());
    for (char c : std::string("1.2.840.10008.1.2.1")) bytes.push_back(uint8_t(c));
    bytes.push_back(0);
    for (int i = 0; i < 100000; ++i) {
        const rl_test::Bytes seq = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, 0xff, 0xff, 0xff, 0xff,
                                    0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff};
        bytes.insert(bytes.end(), seq.begin(), seq.end());
    }
    EXPECT_NE(read_error("deep.dcm", bytes), "");
}

TEST_F(DicomHostile, NotDicomAtAll) {
    EXPECT_NE(read_error("random.dcm", rl_test::Bytes(5000, 0x5a)), "");
    EXPECT_NE(read_error("empty.dcm", {}), "");
}

}  // namespace
