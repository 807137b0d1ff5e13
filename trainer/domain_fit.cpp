// Domain check fitting; see domain_fit.h.
#include "domain_fit.h"

#include <algorithm>

namespace rl {
namespace {

constexpr int64_t kBatch = 256;  // images per forward pass

// Each block's pooled features over all images: [N, C] float64 per block.
std::vector<torch::Tensor> block_features(Network& net, const torch::Tensor& images) {
    torch::NoGradGuard no_grad;
    net->eval();
    std::vector<std::vector<torch::Tensor>> parts;
    for (int64_t i = 0; i < images.size(0); i += kBatch) {
        const torch::Tensor batch = images.slice(0, i, std::min(i + kBatch, images.size(0))).to(torch::kFloat);
        const std::vector<torch::Tensor> means = net->block_means(batch);
        if (parts.empty()) parts.resize(means.size());
        for (size_t b = 0; b < means.size(); ++b) parts[b].push_back(means[b].to(torch::kDouble));
    }
    std::vector<torch::Tensor> out;
    for (const auto& p : parts) out.push_back(torch::cat(p));
    return out;
}

// [N] squared distance of each row of `features` to the nearest class mean.
torch::Tensor block_distances(const DomainBlock& block, const torch::Tensor& features) {
    const torch::Tensor z = features.matmul(block.whitening);                       // [N, C]
    return (z.unsqueeze(1) - block.means.unsqueeze(0)).pow(2).sum(2).amin(1);       // [N]
}

}  // namespace

Status domain_fit(Network& net, const torch::Tensor& train_images, const torch::Tensor& train_targets, OutputKind kind,
                  int label_count, const torch::Tensor& validation_images, DomainFit* out) {
    if (train_images.size(0) < 2 || validation_images.size(0) < 2) return Status::failure("domain check: too few images to fit");
    const std::vector<torch::Tensor> train = block_features(net, train_images);
    const std::vector<torch::Tensor> validation = block_features(net, validation_images);
    const torch::Tensor cls = kind == OutputKind::sigmoid ? torch::zeros({train_images.size(0)}, torch::kLong)
                                                          : train_targets.to(torch::kLong).view({-1});
    const int classes = kind == OutputKind::sigmoid ? 1 : label_count;
    out->blocks.clear();
    torch::Tensor combined;
    for (size_t b = 0; b < train.size(); ++b) {
        const torch::Tensor& f = train[b];
        const int64_t n = f.size(0), c = f.size(1);
        torch::Tensor means = torch::zeros({classes, c}, torch::kDouble);
        torch::Tensor centred = f.clone();
        for (int k = 0; k < classes; ++k) {
            const torch::Tensor rows = (cls == k).nonzero().squeeze(1);
            if (rows.numel() == 0) continue;  // a class absent from training: no mean to be near
            means[k] = f.index_select(0, rows).mean(0);
            centred.index_copy_(0, rows, f.index_select(0, rows) - means[k]);
        }
        for (int k = 0; k < classes; ++k)
            if ((cls == k).sum().item<int64_t>() == 0) means[k] = means[0];
        // Shrunk towards a scaled identity by c / (c + n): with few images per feature (mini-MIAS,
        // 160 films and 128 features) the sample covariance is singular.
        const torch::Tensor sample = centred.t().matmul(centred) / double(n);
        const double shrink = double(c) / double(c + n);
        const torch::Tensor cov =
            (1.0 - shrink) * sample + shrink * (sample.trace() / double(c)).item<double>() * torch::eye(c, torch::kDouble);
        DomainBlock block;
        block.whitening = torch::linalg::cholesky(torch::inverse(cov));
        block.means = means.matmul(block.whitening);
        const torch::Tensor raw = block_distances(block, validation[b]);
        block.scale = std::max(1e-12, raw.median().item<double>());
        const torch::Tensor ratio = raw / block.scale;
        combined = combined.defined() ? torch::maximum(combined, ratio) : ratio;
        out->blocks.push_back(block);
    }
    const torch::Tensor sorted = std::get<0>(combined.sort()).contiguous();
    out->validation.assign(sorted.data_ptr<double>(), sorted.data_ptr<double>() + sorted.numel());
    out->threshold = quantile_sorted(out->validation, kDomainPercentile / 100.0);
    return Status::success();
}

torch::Tensor domain_distances(Network& net, const DomainFit& fit, const torch::Tensor& images) {
    const std::vector<torch::Tensor> features = block_features(net, images);
    torch::Tensor combined;
    for (size_t b = 0; b < fit.blocks.size(); ++b) {
        const torch::Tensor ratio = block_distances(fit.blocks[b], features[b]) / fit.blocks[b].scale;
        combined = combined.defined() ? torch::maximum(combined, ratio) : ratio;
    }
    return combined;
}

}  // namespace rl
