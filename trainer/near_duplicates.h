// Near-duplicate detection beyond a dataset's own groups.csv: copies of one
// picture that were flipped, re-windowed or re-cropped must share a group, or
// the split would put one picture on two sides.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

namespace rl {

struct NearDuplicateJoin {
    int joined = 0;   // groups merged into another
    int groups = 0;   // groups after joining
    int largest = 0;  // images in the largest group after joining
};

// `thumbnails` [N, 1, S, S], S a multiple of 4, holds one small image per entry of `groups`.
// Two images whose pixels correlate (Pearson) at least `min_correlation`,
// as they are or one mirrored left-right, get one group: the
// alphabetically first of the groups joined.
NearDuplicateJoin near_duplicates_join(const torch::Tensor& thumbnails, std::vector<std::string>* groups, double min_correlation);

}  // namespace rl
