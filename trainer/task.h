// The five shipped tasks: how each is read, split, fed, trained and described.
// Sizes and networks were chosen by measurement on the 2-core CPU (docs/training.md, docs/models.md).
#pragma once
#include <string>
#include <vector>

#include "calibration.h"
#include "dataset.h"
#include "model_card.h"
#include "preprocess.h"

namespace rl {

// Label-preserving augmentation, drawn per image.
struct Augment {
    bool horizontal_flip = false;  // only where left/right mirror images are both anatomical
    double rotate_deg = 0.0;       // uniform in +-rotate_deg
    double scale = 0.0;            // zoom uniform in 1 +- scale
    double translate = 0.0;        // shift uniform in +- translate of the side
    double contrast = 0.0;         // gain uniform in 1 +- contrast, offset in +- contrast / 2
    double gamma = 1.0;            // > 1: intensities raised to an exponent log-uniform in [1 / gamma, gamma], before gain
};

// A file whose label a visual review disputes, and what the review saw.
struct Disputed {
    std::string path;  // under the data root, e.g. "brain_mri/no/no1051.jpg"
    std::string finding;
};

// One line of a card's limitations.
struct Limitation {
    std::string text;
    bool copy_only = false;  // true of ../shared/data's copy (its size, its source's processing), not of the dataset
};

// One dataset a task reads, in its own layout under the data root.
struct DataSource {
    std::string dir;   // under the data root, e.g. "brain_mri_sartaj"
    std::string name;  // short, for the card's per-source figures, e.g. "Sartaj"
};

struct TaskConfig {
    std::string name;       // file stem of the model, e.g. "brain_mri"
    std::string title;      // one line for the card, true of any copy
    std::vector<DataSource> sources;  // each split by its own groups and stratified on its own; more than one: figures per source
    std::string domain_images;  // what the model was trained on, for its "no answer" sentence
    OutputKind output_kind = OutputKind::softmax;
    InputSpec input;        // mean and std are measured on the training split
    std::vector<int> widths;  // channels of each convolution block
    int stem_stride = 1;      // 2: the first convolution halves the image
    bool asymmetry = false;   // true: the network also sees the image minus its mirror (network.h)
    int epochs = 30;
    int batch_size = 32;
    double learning_rate = 2e-3;
    double weight_decay = 0.05;   // AdamW's decoupled decay, its usual strength
    double dropout = 0.2;
    int patience = 8;             // epochs without a better validation score
    int members = 1;              // networks trained from different seeds; the model averages their logits
    bool cross_fit = false;       // true: one fold of the training and validation groups per member, which it validates on
                                  // and does not train on; calibration uses every image's out-of-fold prediction
    bool mirror_average = false;  // true: the model averages each network's logits over the image and its left-right mirror
    double validation_fraction = 0.15;
    double test_fraction = 0.15;
    Augment augment;
    double near_duplicate_correlation = 0.0;  // > 0: join groups whose images look alike this much (near_duplicates.h)
    std::vector<Disputed> disputed;  // their groups train and calibrate nothing; test keeps them with the dataset's labels
    // The card's data text. `dataset_name`, `license`, `intended_use` and the
    // limitations not marked copy_only hold for any copy of the dataset; the
    // rest describes the copy in ../shared/data, known by its listing's
    // SHA-256 (dataset_listing_sha256), which the shipped models were trained on.
    std::string dataset_name, license, intended_use;
    std::string copy_listing_sha256, copy_dataset, copy_source;
    std::string copy_title;  // empty: title; else the line for the shipped copy (NIH's demonstrator)
    std::vector<Limitation> limitations;
    // Out-of-fold figures of this recipe on the shipped copy, measured by runs the card cites (named out_of_fold_*):
    // the reliability rule reads them beside the test figures.
    std::vector<MetricValue> recipe_metrics;
};

// The card's dataset, source and limitations for the copy read: the task's
// own text for ../shared/data's copy; for any other (the full public
// download, say) the task's title, the dataset's name, that copy's image
// count and listing SHA-256, and only the limitations that hold for every copy.
struct CopyText {
    std::string title, dataset, source;
    std::vector<std::string> limitations;
};
CopyText task_copy_text(const TaskConfig& task, const std::string& listing_sha256, size_t images);

const std::vector<TaskConfig>& task_all();
const TaskConfig* task_find(const std::string& name);

// Reads each of the task's sources from under `root` (its original layout),
// merges its groups.csv / duplicates.csv, and names its samples' source.
Status task_read(const TaskConfig& task, const std::string& root, DatasetListing* out);

// The listing's SHA-256 (dataset_listing_sha256), paths relative to the
// task's folder, or to `root` when the task reads several.
std::string task_listing_sha256(const TaskConfig& task, const std::string& root, const DatasetListing& listing);

}  // namespace rl
