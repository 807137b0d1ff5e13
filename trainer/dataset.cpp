// Dataset readers; see dataset.h. Paths in groups.csv and duplicates.csv are
// relative to the dataset root.
#include "dataset.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "csv.h"
#include "file_digest.h"

namespace rl {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// Sorted image files directly in `dir`; other files are reported.
std::vector<std::string> images_in(const fs::path& dir, std::vector<std::string>* problems) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.empty() || name[0] == '.') continue;
        if (dataset_is_image_path(name)) files.push_back(entry.path().string());
        else problems->push_back(entry.path().string() + ": skipped, not an image file");
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Kermany file names carry the patient: person12_bacteria_3, IM-0115-0001, NORMAL2-IM-0427-0001.
std::string kermany_patient(const std::string& stem) {
    if (stem.rfind("person", 0) == 0) return stem.substr(0, stem.find('_'));
    const size_t im = stem.find("IM-");
    if (im == std::string::npos) return stem;
    const size_t end = stem.find('-', im + 3);
    return stem.substr(0, end);
}

struct UnionFind {
    std::vector<size_t> parent;
    explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    size_t find(size_t i) { return parent[i] == i ? i : parent[i] = find(parent[i]); }
    void join(size_t a, size_t b) { parent[find(a)] = find(b); }
};

}  // namespace

std::string dataset_listing_sha256(const DatasetListing& listing, const std::string& root) {
    std::vector<std::string> lines;
    for (const Sample& s : listing.samples) {
        std::error_code ec;
        const uintmax_t size = fs::file_size(s.path, ec);
        std::string line = fs::path(s.path).lexically_relative(root).generic_string() + "\t" + (ec ? "?" : std::to_string(size));
        for (int t : s.targets) line += "\t" + std::to_string(t);
        lines.push_back(line + "\n");
    }
    std::sort(lines.begin(), lines.end());
    return text_sha256(std::accumulate(lines.begin(), lines.end(), std::string()));
}

bool dataset_is_image_path(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".pgm" || ext == ".ppm" || ext == ".pnm" ||
           ext == ".dcm";
}

const std::vector<std::string>& dataset_nih_findings() {
    static const std::vector<std::string> findings = {
        "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
        "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"};
    return findings;
}

Status dataset_read_class_folders(const std::string& root, const std::vector<std::pair<std::string, std::string>>& classes,
                                  DatasetListing* out) {
    *out = DatasetListing{};
    for (size_t k = 0; k < classes.size(); ++k) {
        const fs::path dir = fs::path(root) / classes[k].first;
        if (!fs::is_directory(dir)) return Status::failure(dir.string() + ": class folder missing");
        const std::vector<std::string> files = images_in(dir, &out->problems);
        if (files.empty()) return Status::failure(dir.string() + ": class folder has no images");
        out->labels.push_back(classes[k].second);
        for (const std::string& f : files) out->samples.push_back({f, {int(k)}, f, {}});
    }
    return Status::success();
}

Status dataset_read_kermany(const std::string& root, DatasetListing* out) {
    *out = DatasetListing{};
    out->labels = {"normal", "pneumonia"};
    const char* folders[2] = {"NORMAL", "PNEUMONIA"};
    for (const char* split : {"train", "val", "test"})
        for (int k = 0; k < 2; ++k) {
            const fs::path dir = fs::path(root) / "chest_xray" / split / folders[k];
            if (!fs::is_directory(dir)) continue;  // the 16-image val/ folder is often missing
            for (const std::string& f : images_in(dir, &out->problems))
                out->samples.push_back({f, {k}, "patient:" + kermany_patient(fs::path(f).stem().string()), {}});
        }
    for (int k = 0; k < 2; ++k)
        if (std::none_of(out->samples.begin(), out->samples.end(), [k](const Sample& s) { return s.targets[0] == k; }))
            return Status::failure(root + "/chest_xray: no " + folders[k] + " images in train/, val/ or test/");
    return Status::success();
}

Status dataset_read_nih(const std::string& root, DatasetListing* out) {
    *out = DatasetListing{};
    out->labels = dataset_nih_findings();
    const std::string csv_path = root + "/Data_Entry_2017.csv";
    std::ifstream csv(csv_path);
    if (!csv) return Status::failure(csv_path + ": cannot open");
    std::string line;
    std::getline(csv, line);
    const std::vector<std::string> header = csv_parse_line(line);
    const char* needed[4] = {"Image Index", "Finding Labels", nullptr, "Patient ID"};
    for (size_t i = 0; i < 4; ++i)
        if (needed[i] && (header.size() <= i || header[i] != needed[i]))
            return Status::failure(csv_path + ": column " + std::to_string(i + 1) + " should be '" + needed[i] + "'");

    std::map<std::string, std::string> files;  // file name -> path, from images/ and images_NNN/images/
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(root, ec))
        if (entry.is_regular_file() && dataset_is_image_path(entry.path().string()))
            files.emplace(entry.path().filename().string(), entry.path().string());

    std::map<std::string, int> finding_index;
    for (size_t k = 0; k < out->labels.size(); ++k) finding_index[out->labels[k]] = int(k);
    for (int row = 2; std::getline(csv, line); ++row) {
        if (line.empty() || line == "\r") continue;
        const std::vector<std::string> f = csv_parse_line(line);
        const std::string where = csv_path + ":" + std::to_string(row);
        if (f.size() < 4) { out->problems.push_back(where + ": skipped, fewer than 4 columns"); continue; }
        auto file = files.find(f[0]);
        if (file == files.end()) file = files.find(fs::path(f[0]).stem().string() + ".dcm");  // a DICOM copy
        if (file == files.end()) { out->problems.push_back(where + ": skipped, no image file " + f[0]); continue; }
        Sample s{file->second, std::vector<int>(out->labels.size(), 0), "patient:" + f[3], {}};
        std::istringstream findings(f[1]);
        std::string name;
        bool known = true;
        while (std::getline(findings, name, '|')) {
            if (name == "No Finding") continue;
            const auto k = finding_index.find(name);
            if (k == finding_index.end()) { known = false; break; }
            s.targets[size_t(k->second)] = 1;
        }
        if (!known) { out->problems.push_back(where + ": skipped, unknown finding '" + name + "'"); continue; }
        out->samples.push_back(std::move(s));
    }
    if (out->samples.empty()) return Status::failure(csv_path + ": no rows with an image file under " + root);
    return Status::success();
}

Status dataset_read_mias(const std::string& root, DatasetListing* out) {
    *out = DatasetListing{};
    out->labels = {"normal", "abnormal"};
    fs::path films = fs::path(root) / "all-mias";
    if (!fs::exists(films / "Info.txt")) films = root;
    std::ifstream info(films / "Info.txt");
    if (!info) return Status::failure((films / "Info.txt").string() + ": cannot open");
    std::map<std::string, int> abnormal;  // film -> 1 if any row is not NORM
    std::string line;
    for (int row = 1; std::getline(info, line); ++row) {
        std::istringstream in(line);
        std::string film, tissue, kind;
        if (!(in >> film >> tissue >> kind) || film.rfind("mdb", 0) != 0) continue;  // title and note lines
        const bool is_abnormal = kind != "NORM";
        abnormal[film] = std::max(abnormal[film], int(is_abnormal));
    }
    if (abnormal.empty()) return Status::failure((films / "Info.txt").string() + ": no mdbNNN rows");
    for (const auto& [film, label] : abnormal) {
        std::string path;
        for (const char* ext : {".pgm", ".png", ".jpg", ".jpeg", ".dcm"})
            if (fs::exists(films / (film + ext))) { path = (films / (film + ext)).string(); break; }
        if (path.empty()) { out->problems.push_back((films / film).string() + ": skipped, listed in Info.txt but no image file"); continue; }
        const int number = std::atoi(film.c_str() + 3);
        out->samples.push_back({path, {label}, "woman:" + std::to_string((number + 1) / 2), {}});  // mdb001+mdb002, ...
    }
    if (out->samples.empty()) return Status::failure(films.string() + ": no film images found");
    return Status::success();
}

Status dataset_groups_merge(const std::string& root, DatasetListing* out) {
    std::map<std::string, size_t> by_path;  // path relative to root -> sample index
    for (size_t i = 0; i < out->samples.size(); ++i)
        by_path[fs::relative(out->samples[i].path, root).generic_string()] = i;
    UnionFind sets(out->samples.size());
    std::map<std::string, size_t> first_of_group;
    for (size_t i = 0; i < out->samples.size(); ++i) {
        const auto [it, fresh] = first_of_group.emplace(out->samples[i].group, i);
        if (!fresh) sets.join(i, it->second);
    }
    const auto merge_file = [&](const char* name, size_t left, size_t right, bool by_group) -> Status {
        const std::string path = root + "/" + name;
        std::ifstream in(path);
        if (!in) return Status::success();  // optional
        std::string line;
        std::getline(in, line);
        const std::vector<std::string> header = csv_parse_line(line);
        const size_t need = std::max(left, right);
        if (header.size() <= need) return Status::failure(path + ": expected at least " + std::to_string(need + 1) + " columns");
        std::map<std::string, size_t> group_first;
        while (std::getline(in, line)) {
            const std::vector<std::string> f = csv_parse_line(line);
            if (f.size() <= need) continue;
            const auto a = by_path.find(f[left]);
            if (a == by_path.end()) continue;  // a file outside this copy
            if (by_group) {
                const auto [it, fresh] = group_first.emplace(f[right], a->second);
                if (!fresh) sets.join(a->second, it->second);
            } else if (const auto b = by_path.find(f[right]); b != by_path.end()) {
                sets.join(a->second, b->second);
            }
        }
        return Status::success();
    };
    Status s = merge_file("groups.csv", 0, 2, true);
    if (s.ok()) s = merge_file("duplicates.csv", 0, 1, false);
    if (!s.ok()) return s;
    for (size_t i = 0; i < out->samples.size(); ++i)
        out->samples[i].group = out->samples[sets.find(i)].group;
    return Status::success();
}

}  // namespace rl
