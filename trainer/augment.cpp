// Affine warp, gamma and gain/offset per image; see augment.h.
#include "augment.h"

#include <cmath>

namespace rl {
namespace {

torch::Tensor uniform(int64_t n, double half_width, const torch::TensorOptions& opts) {
    return (torch::rand({n}, opts) * 2.0 - 1.0) * half_width;
}

// Half of the images, as a mask broadcastable over [B, 1, H, W].
torch::Tensor chosen(int64_t n, const torch::TensorOptions& opts) { return (torch::rand({n}, opts) < 0.5).view({n, 1, 1, 1}); }

}  // namespace

torch::Tensor augment_batch(const torch::Tensor& x, const Augment& a, float mean, float std) {
    namespace F = torch::nn::functional;
    const int64_t n = x.size(0);
    const auto opts = x.options();
    torch::Tensor unit = x * std + mean;  // back to [0, 1]: black is 0

    const torch::Tensor angle = uniform(n, a.rotate_deg * M_PI / 180.0, opts);
    const torch::Tensor zoom = 1.0 + uniform(n, a.scale, opts);
    torch::Tensor flip = torch::ones({n}, opts);
    if (a.horizontal_flip) flip = torch::where(torch::rand({n}, opts) < 0.5, -flip, flip);
    // theta maps output to input coordinates in [-1, 1]: rotate, zoom (inverse), mirror x, shift.
    const torch::Tensor c = torch::cos(angle) / zoom, s = torch::sin(angle) / zoom;
    const torch::Tensor theta = torch::stack({torch::stack({c * flip, -s, uniform(n, 2 * a.translate, opts)}, 1),
                                              torch::stack({s * flip, c, uniform(n, 2 * a.translate, opts)}, 1)},
                                             1);  // [B, 2, 3]
    const torch::Tensor grid = F::affine_grid(theta, x.sizes().vec(), false);
    const torch::Tensor warped =
        F::grid_sample(unit, grid, F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
    unit = torch::where(chosen(n, opts), warped, unit);  // half the images stay unresampled, as at inference

    if (a.gamma > 1.0) {  // drawn only when on, so that runs without it keep their random stream
        const torch::Tensor exponent = torch::exp(uniform(n, std::log(a.gamma), opts)).view({n, 1, 1, 1});
        unit = torch::where(chosen(n, opts), unit.clamp_min(0.0).pow(exponent), unit);
    }
    const torch::Tensor gain = (1.0 + uniform(n, a.contrast, opts)).view({n, 1, 1, 1});
    const torch::Tensor offset = uniform(n, a.contrast / 2, opts).view({n, 1, 1, 1});
    unit = torch::where(chosen(n, opts), (unit * gain + offset).clamp(0.0, 1.0), unit);
    return (unit - mean) / std;
}

}  // namespace rl
