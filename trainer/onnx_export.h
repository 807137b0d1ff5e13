// Writes a trained Network as ONNX through libonnx, checked at export time.
// Graph: image [batch, 1, H, W] -> Conv (batch norm folded) / Relu / MaxPool
// blocks -> cam = 1x1 Conv with the head's weights / T  [batch, K, h, w]
//        -> GlobalAveragePool -> Flatten -> logits / T -> Softmax or Sigmoid
//        -> probabilities [batch, K].
// The mean of the CAM equals the calibrated logits (the head is linear), so
// the heat map needs no gradients.
#pragma once
#include <string>

#include "calibration.h"
#include "network.h"
#include "status.h"

namespace rl {

struct OnnxNames {
    std::string input = "image";
    std::string probabilities = "probabilities";
    std::string cam = "cam";
};

Status onnx_export(Network& net, int input_height, int input_width, OutputKind kind, double temperature,
                   const std::string& model_name, const OnnxNames& names, const std::string& path);

}  // namespace rl
