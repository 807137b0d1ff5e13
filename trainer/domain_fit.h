// The model's own domain check (Lee et al., NeurIPS 2018), fitted on the
// images its first network trained on: for each block, the block's output
// averaged over its pixels, class-conditional Gaussians with one shared,
// shrunk covariance, and the Mahalanobis distance to the nearest class mean.
// Each block's distance is divided by its median over held-out validation
// images, and an image's domain distance is the largest of those ratios:
// early blocks see texture and contrast, late ones the anatomy the head
// uses. (docs/models.md, "Domain check": how this was chosen over others.)
// The threshold is the 99th percentile over the same validation images.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "calibration.h"
#include "metrics.h"
#include "network.h"
#include "status.h"

namespace rl {

constexpr double kDomainPercentile = 99.0;  // of held-out validation distances: the threshold

struct DomainBlock {
    torch::Tensor whitening;  // [C, C] float64, L with L L^T = the inverse shrunk covariance
    torch::Tensor means;      // [K, C] float64, the class means times L
    double scale = 1.0;       // median validation distance of this block
};

struct DomainFit {
    std::vector<DomainBlock> blocks;
    std::vector<double> validation;  // every held-out validation image's domain distance, sorted
    double threshold = 0.0;
};

// images [N, 1, H, W] as the network takes them; targets as the run's (class index, or [N, K] 0/1 for
// sigmoid, which fits one Gaussian for all images).
Status domain_fit(Network& net, const torch::Tensor& train_images, const torch::Tensor& train_targets, OutputKind kind,
                  int label_count, const torch::Tensor& validation_images, DomainFit* out);

// [N] float64 domain distances.
torch::Tensor domain_distances(Network& net, const DomainFit& fit, const torch::Tensor& images);

}  // namespace rl
