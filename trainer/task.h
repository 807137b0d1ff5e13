// The five shipped tasks: how each is read, split, fed, trained and described.
// Sizes and networks were chosen by measurement on the 2-core CPU (README).
#pragma once
#include <string>
#include <vector>

#include "calibration.h"
#include "dataset.h"
#include "preprocess.h"

namespace rl {

// Label-preserving augmentation, drawn per image.
struct Augment {
    bool horizontal_flip = false;  // only where left/right mirror images are both anatomical
    double rotate_deg = 0.0;       // uniform in +-rotate_deg
    double scale = 0.0;            // zoom uniform in 1 +- scale
    double translate = 0.0;        // shift uniform in +- translate of the side
    double contrast = 0.0;         // gain uniform in 1 +- contrast, offset in +- contrast / 2
};

// A file whose label a visual review disputes, and what the review saw.
struct Disputed {
    std::string path;  // under the dataset's folder, e.g. "no/no1051.jpg"
    std::string finding;
};

struct TaskConfig {
    std::string name;       // file stem of the model, e.g. "brain_mri"
    std::string title;      // one line for the card
    std::string data_dir;   // under the data root
    OutputKind output_kind = OutputKind::softmax;
    InputSpec input;        // mean and std are measured on the training split
    std::vector<int> widths;  // channels of each convolution block
    int stem_stride = 1;      // 2: the first convolution halves the image
    int epochs = 30;
    int batch_size = 32;
    double learning_rate = 2e-3;
    double weight_decay = 0.05;   // AdamW's decoupled decay, its usual strength
    double dropout = 0.2;
    int patience = 8;             // epochs without a better validation score
    int members = 1;              // networks trained from different seeds; the model averages their logits
    double validation_fraction = 0.15;
    double test_fraction = 0.15;
    Augment augment;
    double near_duplicate_correlation = 0.0;  // > 0: join groups whose images look alike this much (near_duplicates.h)
    std::vector<Disputed> disputed;  // their groups train and calibrate nothing; test keeps them with the dataset's labels
    std::string dataset, source, license, intended_use;
    std::vector<std::string> limitations;
};

const std::vector<TaskConfig>& task_all();
const TaskConfig* task_find(const std::string& name);

// Reads the task's dataset from `dir` (its original layout) and merges its
// groups.csv / duplicates.csv.
Status task_read(const TaskConfig& task, const std::string& dir, DatasetListing* out);

}  // namespace rl
