// The classifier: blocks of two 3x3 convolutions (batch norm, ReLU) with 2x2
// max pooling between blocks, global average pooling and one linear layer.
// The first convolution may have stride 2 (a stem that halves the image
// before the expensive full-resolution layers). With `asymmetry` the image
// comes with a second channel, itself minus its left-right mirror: the
// receptive field cannot span both halves of the image, so the network could
// not otherwise compare one side with the other.
// Plain on purpose: every layer maps to one ONNX node, and the linear layer
// over pooled features doubles as a class activation map.
#pragma once
#include <torch/torch.h>

#include <vector>

namespace rl {

struct NetworkImpl : torch::nn::Module {
    NetworkImpl(const std::vector<int>& widths, int label_count, double dropout, int stem_stride = 1, bool asymmetry = false);

    torch::Tensor features(torch::Tensor x);  // [N, 1, H, W] -> [N, C, H / 2^(blocks-1), ...]
    torch::Tensor forward(torch::Tensor x);   // -> logits [N, labels]
    // Each block's output averaged over its pixels, before pooling: [N, width of the block] per block.
    std::vector<torch::Tensor> block_means(torch::Tensor x);

    std::vector<torch::nn::Conv2d> convs;
    std::vector<torch::nn::BatchNorm2d> norms;
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
    int stem_stride = 1;
    bool asymmetry = false;

private:
    // The convolutions' output; with `means`, each block's output averaged over its pixels, before pooling.
    torch::Tensor blocks(torch::Tensor x, std::vector<torch::Tensor>* means);
};
TORCH_MODULE(Network);

// Pooling follows every second convolution except the last pair.
bool network_pools_after(const NetworkImpl& net, size_t conv_index);

}  // namespace rl
