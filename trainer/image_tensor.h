// Decodes and preprocesses samples through the core (the serving path, byte
// for byte) into one tensor that training reads from memory.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "dataset.h"
#include "preprocess.h"

namespace rl {

struct ImageTensor {
    torch::Tensor images;               // [N, 1, H, W] float32, as preprocess() returns
    std::vector<size_t> kept;           // sample index of each row
    std::vector<std::string> problems;  // files that failed, with the reason
};

// Decodes samples[indices] on all intra-op threads; failures are skipped and listed.
ImageTensor image_tensor_load(const std::vector<Sample>& samples, const std::vector<size_t>& indices, const InputSpec& spec);

}  // namespace rl
