// Correlation of thumbnails and union-find over groups; see near_duplicates.h.
#include "near_duplicates.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace rl {
namespace {

torch::Tensor rows_standardized(const torch::Tensor& images) {
    torch::Tensor x = images.flatten(1).to(torch::kDouble);
    x = x - x.mean(1, true);
    return (x / x.norm(2, 1, true).clamp_min(1e-12)).to(torch::kFloat);
}

// Pairs (i < j) with a[i] . b[j] >= min_correlation, for unit rows a and b of
// [N, H * W] images. All N^2 full products cost minutes for MedNIST's 9,000
// images, so rows are first compared as 4x4 block means: a block mean
// shrinks a distance at least 4-fold (Cauchy-Schwarz), and a . b >= c means
// |a - b| <= sqrt(2 - 2c), so pairs farther apart than that over 4 are out.
// Only the remaining candidates are checked in full: the result is exact.
torch::Tensor pairs_correlated(const torch::Tensor& a, const torch::Tensor& b, int64_t side, double min_correlation) {
    const int64_t n = a.size(0);
    auto pooled = [&](const torch::Tensor& x) { return torch::avg_pool2d(x.view({n, 1, side, side}), 4).flatten(1); };
    const torch::Tensor pa = pooled(a), pb = pooled(b);
    const double radius = std::sqrt(std::max(0.0, 2.0 - 2.0 * min_correlation)) / 4.0 + 1e-4;
    std::vector<torch::Tensor> found;
    for (int64_t start = 0; start < n; start += 1024) {  // bounds memory at 1024 x N
        const torch::Tensor rows = pa.slice(0, start, std::min(n, start + 1024));
        const torch::Tensor near = torch::cdist(rows, pb).le(radius).triu(start + 1).nonzero();
        for (int64_t k = 0; k < near.size(0); k += 8192) {  // bounds memory at 8,192 pairs of rows
            const torch::Tensor chunk = near.slice(0, k, k + 8192);
            const torch::Tensor i = chunk.select(1, 0) + start, j = chunk.select(1, 1);
            const torch::Tensor keep = (a.index_select(0, i) * b.index_select(0, j)).sum(1).ge(min_correlation);
            found.push_back(torch::stack({i, j}, 1).index({keep}));
        }
    }
    return found.empty() ? torch::zeros({0, 2}, torch::kLong) : torch::cat(found);
}

}  // namespace

NearDuplicateJoin near_duplicates_join(const torch::Tensor& thumbnails, std::vector<std::string>* groups, double min_correlation) {
    std::map<std::string, size_t> index;  // group -> union-find node, in name order
    for (const std::string& g : *groups) index.emplace(g, 0);
    std::vector<std::string> names;
    for (auto& [name, i] : index) i = names.size(), names.push_back(name);
    std::vector<size_t> parent(names.size());
    std::iota(parent.begin(), parent.end(), size_t(0));
    auto root = [&](size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    const torch::Tensor a = rows_standardized(thumbnails), mirrored = rows_standardized(thumbnails.flip(3));
    const int64_t side = thumbnails.size(3);
    const torch::Tensor alike = torch::cat({pairs_correlated(a, a, side, min_correlation), pairs_correlated(a, mirrored, side, min_correlation)});
    const auto pairs = alike.accessor<int64_t, 2>();
    for (int64_t k = 0; k < alike.size(0); ++k) {
        const size_t x = root(index[(*groups)[size_t(pairs[k][0])]]), y = root(index[(*groups)[size_t(pairs[k][1])]]);
        if (x != y) parent[std::max(x, y)] = std::min(x, y);  // the smaller index is the alphabetically first name
    }
    NearDuplicateJoin out;
    std::map<size_t, int> sizes;
    for (std::string& g : *groups) {
        const size_t r = root(index[g]);
        sizes[r] += 1;
        g = names[r];
    }
    out.groups = int(sizes.size());
    out.joined = int(names.size()) - out.groups;
    for (auto& [r, n] : sizes) out.largest = std::max(out.largest, n);
    return out;
}

}  // namespace rl
