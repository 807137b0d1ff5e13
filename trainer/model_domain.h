// The domain check of an exported model (domain_fit.h): fitted on its
// first network, read back from the ONNX file, over the images that network
// trained on, with its threshold on those it validated on; appended to the
// file and described in the card.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "model_card.h"
#include "run_data.h"
#include "status.h"

namespace rl {

// Also writes the distances of pool rows `rows` ([rows] int64, may be empty) into `distances`.
Status model_domain_attach(RunData& p, const std::string& onnx_path, ModelCard* card, const torch::Tensor& rows,
                           std::vector<double>* distances);

}  // namespace rl
