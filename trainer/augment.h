// Random label-preserving transforms of a batch, on the GPU or CPU with it.
#pragma once
#include <torch/torch.h>

#include "task.h"

namespace rl {

// x: [B, 1, H, W], normalised with (mean, std). Half of the images get the
// affine warp and, independently, half a gamma (where set) and half the
// gain/offset: a warp always blurs a little (bilinear), and on every image it
// made validation on untouched images measurably worse (MedNIST at epoch 6:
// 0.974 against 0.999 without). The warp runs on unnormalised intensities so
// that the border it uncovers is black, as the padding of preprocess() is.
// Uses torch's global generator.
torch::Tensor augment_batch(const torch::Tensor& x, const Augment& augment, float mean, float std);

}  // namespace rl
