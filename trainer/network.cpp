// Network layers; see network.h.
#include "network.h"

namespace rl {

NetworkImpl::NetworkImpl(const std::vector<int>& widths, int label_count, double dropout_p, int stem_stride_, bool asymmetry_)
    : stem_stride(stem_stride_), asymmetry(asymmetry_) {
    int in = asymmetry ? 2 : 1;
    for (size_t b = 0; b < widths.size(); ++b)
        for (int k = 0; k < 2; ++k) {
            const size_t i = convs.size();
            const int stride = i == 0 ? stem_stride : 1;
            convs.push_back(register_module(
                "conv" + std::to_string(i),
                torch::nn::Conv2d(torch::nn::Conv2dOptions(in, widths[b], 3).stride(stride).padding(1).bias(false))));
            norms.push_back(register_module("norm" + std::to_string(i), torch::nn::BatchNorm2d(widths[b])));
            in = widths[b];
        }
    // Channels-last (NHWC) weights make oneDNN pick its NHWC kernels for the
    // whole network: a training step is 1.3-1.6x faster on this CPU
    // (bench/train_step.mjs). Gradients and AdamW's state follow the layout.
    torch::NoGradGuard no_grad;
    // to(), not contiguous(): a one-channel tensor already counts as
    // channels-last contiguous, and convolutions would then pick NCHW.
    for (torch::nn::Conv2d& conv : convs)
        conv->weight.set_data(conv->weight.to(conv->weight.options(), false, true, torch::MemoryFormat::ChannelsLast));
    dropout = register_module("dropout", torch::nn::Dropout(dropout_p));
    head = register_module("head", torch::nn::Linear(in, label_count));
}

bool network_pools_after(const NetworkImpl& net, size_t conv_index) {
    return conv_index % 2 == 1 && conv_index + 1 < net.convs.size();
}

torch::Tensor NetworkImpl::blocks(torch::Tensor x, std::vector<torch::Tensor>* means) {
    // Two channels, unlike one, are not channels-last by themselves (see the constructor).
    if (asymmetry) x = torch::cat({x, x - x.flip({3})}, 1).contiguous(torch::MemoryFormat::ChannelsLast);
    for (size_t i = 0; i < convs.size(); ++i) {
        // In place: batch norm's backward needs its input, not its output.
        x = norms[i]->forward(convs[i]->forward(x)).relu_();
        if (means && i % 2 == 1) means->push_back(x.mean({2, 3}));
        if (network_pools_after(*this, i)) x = torch::max_pool2d(x, 2);
    }
    return x;
}

torch::Tensor NetworkImpl::features(torch::Tensor x) { return blocks(x, nullptr); }

std::vector<torch::Tensor> NetworkImpl::block_means(torch::Tensor x) {
    std::vector<torch::Tensor> means;
    blocks(x, &means);
    return means;
}

torch::Tensor NetworkImpl::forward(torch::Tensor x) {
    x = features(x).mean({2, 3});  // [N, C]
    return head->forward(dropout->forward(x));
}

}  // namespace rl
