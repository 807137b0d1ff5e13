// Dataset readers for each public dataset's original layout. A reader lists
// samples (file, targets, group) and what it had to skip; it decodes nothing.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "status.h"

namespace rl {

struct Sample {
    std::string path;
    std::vector<int> targets;  // softmax: one class index; sigmoid: 0/1 per label
    std::string group;         // patient and/or near-duplicate group: never split
    std::string source;        // the task's data source it came from (task.h); readers leave it empty
};

struct DatasetListing {
    std::vector<std::string> labels;
    std::vector<Sample> samples;
    std::vector<std::string> problems;  // skipped files and rows, each with its reason
};

// One folder per class: (folder name, label), in label order (Br35H yes/no,
// MedNIST <class>/). An empty or missing class folder is an error.
Status dataset_read_class_folders(const std::string& root, const std::vector<std::pair<std::string, std::string>>& classes,
                                  DatasetListing* out);
// Kermany: chest_xray/{train,val,test}/{NORMAL,PNEUMONIA}/, pooled (the
// original split shares patients); patient from the file name.
Status dataset_read_kermany(const std::string& root, DatasetListing* out);
// NIH ChestX-ray14: Data_Entry_2017.csv and images under images/ or
// images_NNN/images/; 14 findings, grouped by Patient ID.
Status dataset_read_nih(const std::string& root, DatasetListing* out);
// mini-MIAS: Info.txt (beside the films or in all-mias/), normal vs
// abnormal; the two films of one woman share a group.
Status dataset_read_mias(const std::string& root, DatasetListing* out);

// Merges groups.csv (path, ..., group) and duplicates.csv (file,
// identical_to) from `root` where present: files that share a group or a
// picture end up with one group id.
Status dataset_groups_merge(const std::string& root, DatasetListing* out);

// SHA-256 of the listing: each sample's path under `root`, file size and
// targets, sorted. It tells one copy of a dataset from another (a subset,
// re-encoded images, the full download) without reading the images.
std::string dataset_listing_sha256(const DatasetListing& listing, const std::string& root);

// Files the core can decode, by extension.
bool dataset_is_image_path(const std::string& path);

// The NIH findings in the official order.
const std::vector<std::string>& dataset_nih_findings();

}  // namespace rl
