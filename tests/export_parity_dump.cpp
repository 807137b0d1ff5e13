// Native half of tests/js/export_parity.test.mjs: exports small networks with
// random weights and batch-norm statistics (softmax and sigmoid heads, an
// ensemble of three, a mirror-averaged pair, the same pair seeing each view
// minus its mirror too, one network seeing that without mirror averaging,
// a non-square input), and writes LibTorch's own outputs for one input batch.
//   export_parity_dump OUT_DIR  ->  KIND.onnx, input.f32, KIND.{probabilities,cam}.f32, for each KIND of
//                                   softmax, sigmoid, ensemble, mirrored, asymmetric, one_sided
#include <cstdio>
#include <fstream>

#include "onnx_export.h"

namespace {

void floats_write(const std::string& path, const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous().to(torch::kFloat);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(c.data_ptr<float>()), std::streamsize(c.numel() * 4));
}

// Random weights and non-trivial batch-norm statistics, so that folding is exercised.
rl::Network random_network(int stem_stride, bool asymmetry) {
    rl::Network net(std::vector<int>{4, 8, 8}, 3, 0.0, stem_stride, asymmetry);
    torch::NoGradGuard no_grad;
    for (auto& bn : net->norms) {
        bn->running_mean.uniform_(-0.5, 0.5);
        bn->running_var.uniform_(0.5, 2.0);
        bn->weight.uniform_(0.5, 1.5);
        bn->bias.uniform_(-0.2, 0.2);
    }
    net->eval();
    return net;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    const std::string out = argv[1];
    const double temperature = 1.7;
    torch::manual_seed(3);
    const torch::Tensor input = torch::randn({3, 1, 24, 20});  // [N, 1, H, W]
    floats_write(out + "/input.f32", input);
    // softmax: one network with a stem; sigmoid: one without; ensemble: three
    // sigmoid networks whose logits the model averages; mirrored: two softmax
    // networks averaged over the image and its left-right mirror; asymmetric:
    // those with the image minus its mirror as a second channel; one_sided: one
    // sigmoid network with that channel, not mirror-averaged (--asymmetry
    // --no-mirror-average), whose graph mirrors the input only for the channel.
    for (const std::string name : {"softmax", "sigmoid", "ensemble", "mirrored", "asymmetric", "one_sided"}) {
        const bool mirror = name == "mirrored" || name == "asymmetric";
        const auto kind = name == "softmax" || mirror ? rl::OutputKind::softmax : rl::OutputKind::sigmoid;
        std::vector<rl::Network> members;
        for (int m = 0; m < (name == "ensemble" ? 3 : mirror ? 2 : 1); ++m)
            members.push_back(random_network(name == "softmax" ? 2 : 1, name == "asymmetric" || name == "one_sided"));
        const rl::Status s = rl::onnx_export(members, 24, 20, kind, temperature, mirror, name, rl::OnnxNames{}, out + "/" + name + ".onnx");
        if (!s.ok()) {
            std::fprintf(stderr, "%s\n", s.message.c_str());
            return 1;
        }
        torch::NoGradGuard no_grad;
        const double divisor = temperature * double(members.size()) * (mirror ? 2.0 : 1.0);
        torch::Tensor logits = torch::zeros({3, 3}), cam = torch::zeros({});
        for (rl::Network& net : members) {
            const torch::Tensor head_w = net->head->weight.view({3, -1, 1, 1}) / divisor;
            for (bool mirrored : {false, true}) {
                if (mirrored && !mirror) continue;
                const torch::Tensor x = mirrored ? input.flip({3}) : input;
                logits += net->forward(x) / divisor;
                const torch::Tensor c = torch::conv2d(net->features(x), head_w, net->head->bias / divisor);
                cam = cam + (mirrored ? c.flip({3}) : c);
            }
        }
        floats_write(out + "/" + name + ".probabilities.f32", kind == rl::OutputKind::softmax ? torch::softmax(logits, 1) : torch::sigmoid(logits));
        floats_write(out + "/" + name + ".cam.f32", cam);
    }
    return 0;
}
