// Random label-preserving transforms of a batch, on the GPU or CPU with it.
#pragma once
#include <torch/torch.h>

#include "task.h"

namespace rl {

// x: [B, 1, H, W], normalised with (mean, std). The affine warp runs on
// unnormalised intensities so that the border it uncovers is black, as the
// padding of preprocess() is. Uses torch's global generator (seeded per epoch).
torch::Tensor augment_batch(const torch::Tensor& x, const Augment& augment, float mean, float std);

}  // namespace rl
