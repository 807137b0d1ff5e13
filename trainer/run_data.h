// A training run's data: the task's dataset read in its own layout, its
// groups joined where images are near duplicates, split by group, and
// decoded once into memory, normalised by the mean and std of the images
// that train.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "status.h"
#include "task.h"
#include "train.h"

namespace rl {

struct RunDataOptions {
    std::string data_root = "../shared/data";  // holds the task's sources
    std::string run_dir;                       // receives skipped.txt, this run's list of files that could not be used
    uint64_t seed = 1;                         // the split's (and the folds')
    int limit = 0;                             // > 0: at most this many images of each split (smoke runs)
    double train_fraction = 1.0;               // < 1: this share of the training groups (learning curves)
};

struct RunData {
    TaskConfig task;                   // as given, with input.mean and input.std measured
    DatasetListing listing;
    std::string listing_sha256;        // which copy of the dataset was read (dataset_listing_sha256)
    TrainSet pool;                     // training then validation images
    std::vector<int> fold;             // per pool row (folds.h)
    std::vector<Sample> pool_samples;  // one per pool row
    std::vector<Sample> test_samples;
    int train_count = 0, validation_count = 0, group_count = 0;  // images that train some member, images calibrated on
    int held_out_count = 0;  // training and validation images of groups with a disputed label
};

// Fills a default-constructed `data`.
Status run_data_prepare(const TaskConfig& task, const RunDataOptions& options, RunData* data);

// Pool rows that train some member: every row when cross-fitted. [rows] int64.
torch::Tensor run_data_training_rows(const RunData& data);

}  // namespace rl
