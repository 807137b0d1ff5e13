// Writes trained Networks as one ONNX model through libonnx, checked at
// export time. Graph: image [batch, 1, H, W] -> for each member, Conv (batch
// norm folded) / Relu / MaxPool blocks -> 1x1 Conv with the head's weights
// / (T * members) -> Sum over members = cam [batch, K, h, w]
//        -> GlobalAveragePool -> Flatten -> logits -> Softmax or Sigmoid
//        -> probabilities [batch, K].
// So the logits are the members' mean logits / T, and the mean of the CAM
// equals them (the heads are linear): the heat map needs no gradients.
// Members must share one architecture (their maps are summed).
// With `mirror`, the members run on the image and its left-right mirror as
// one batch of 2 x batch; the mirror's map is turned back (Gather on width)
// and the two are summed, each head divided by 2 as well: the model then
// averages every network over both views, and the map stays their mean.
#pragma once
#include <string>
#include <vector>

#include "calibration.h"
#include "domain_fit.h"
#include "network.h"
#include "status.h"

namespace rl {

struct OnnxNames {
    std::string input = "image";
    std::string probabilities = "probabilities";
    std::string cam = "cam";
    std::string domain = "domain_distance";  // appended by onnx_domain_append
};

Status onnx_export(std::vector<Network>& members, int input_height, int input_width, OutputKind kind, double temperature, bool mirror,
                   const std::string& model_name, const OnnxNames& names, const std::string& path);

// The first network of an exported model, read back from its initializers:
// convolutions with batch norm folded in (the norms are identities), for
// the domain check's features. Its head is left untrained.
Status onnx_first_network(const std::string& path, Network* out);

// Appends the domain check to an exported model: the first network's
// blocks (on the image itself, not its mirror), each averaged over its
// pixels -> MatMul by the whitening -> squared distance to the nearest
// class mean / the block's scale -> Max over blocks = `output` [batch].
// An earlier domain check in the file is replaced.
Status onnx_domain_append(const std::string& path, const DomainFit& fit, const std::string& output);

// The model-randomisation check of heat maps (Adebayo et al., NeurIPS 2018):
// a copy of the model whose heads (and, with `last_block`, each network's
// last two convolutions too) are redrawn from a normal distribution with
// each tensor's own standard deviation, from `seed`.
Status onnx_randomise(const std::string& path, const std::string& out, bool last_block, uint64_t seed);

}  // namespace rl
