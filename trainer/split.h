// Train / validation / test assignment that keeps every group on one side,
// stratified by label so that small sets keep their class balance.
#pragma once
#include <cstdint>
#include <vector>

#include "dataset.h"

namespace rl {

enum class Split { train, validation, test };

const char* split_name(Split split);

// Groups are shuffled with `seed` within each stratum (the source and labels
// of the group's first sample; for multi-label, finding vs no finding) and dealt
// to test, then validation, until each holds its fraction of the images.
std::vector<Split> split_by_group(const std::vector<Sample>& samples, double validation_fraction, double test_fraction,
                                  uint64_t seed);

// Cross-fitting: deals the groups of samples[rows] into `folds` folds,
// stratified and shuffled as above, each group to the fold that holds the
// fewest images of its stratum so far. Returns each row's fold.
std::vector<int> split_folds(const std::vector<Sample>& samples, const std::vector<size_t>& rows, int folds, uint64_t seed);

// Marks every sample whose group holds one of `paths` (relative to the
// dataset folder, matched whole from a '/' of the sample's path).
std::vector<bool> split_groups_holding(const std::vector<Sample>& samples, const std::vector<std::string>& paths);

}  // namespace rl
