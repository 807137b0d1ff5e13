// The domain check of an exported model; see model_domain.h.
#include "model_domain.h"

#include <cstdio>

#include "domain_fit.h"
#include "file_digest.h"
#include "folds.h"
#include "onnx_export.h"

namespace rl {

Status model_domain_attach(RunData& p, const std::string& onnx_path, ModelCard* card, const torch::Tensor& rows, std::vector<double>* distances) {
    Network net(std::vector<int>{1}, 1, 0.0);
    Status s = onnx_first_network(onnx_path, &net);
    if (!s.ok()) return s;
    const int f = folds_of_member(p.task.cross_fit, 0);
    const torch::Tensor trains = folds_rows(p.fold, f, false), validates = folds_rows(p.fold, f, true);
    DomainFit fit;
    s = domain_fit(net, p.pool.images.index_select(0, trains), p.pool.targets.index_select(0, trains), p.task.output_kind,
                   int(p.listing.labels.size()), p.pool.images.index_select(0, validates), &fit);
    if (s.ok()) s = onnx_domain_append(onnx_path, fit, OnnxNames{}.domain);
    if (s.ok()) s = file_sha256(onnx_path, &card->onnx_sha256);
    if (!s.ok()) return s;
    if (rows.numel() > 0) {
        const torch::Tensor scored = domain_distances(net, fit, p.pool.images.index_select(0, rows)).contiguous();
        distances->assign(scored.data_ptr<double>(), scored.data_ptr<double>() + scored.numel());
    }
    DomainCheck& d = card->domain;
    d.output = OnnxNames{}.domain;
    d.images = p.task.domain_images;
    char method[600];
    std::snprintf(method, sizeof method,
                  "Mahalanobis distance of the first network's %zu blocks, each averaged over its pixels, to the nearest class "
                  "(class means and one shared covariance fitted on the %lld images it trained on), each block's divided by its "
                  "median on %lld held-out validation images, the largest taken; above their %.0fth percentile: out of domain",
                  fit.blocks.size(), (long long)trains.numel(), (long long)validates.numel(), kDomainPercentile);
    d.method = method;
    d.threshold = fit.threshold;
    d.validation_images = int(fit.validation.size());
    d.validation_median = quantile_sorted(fit.validation, 0.5);
    d.validation_max = fit.validation.back();
    d.checks.clear();  // measured again on the new model by scripts/domain_check.mjs
    std::fprintf(stderr, "domain check: threshold %.3f (median %.3f, max %.3f over %d validation images)\n", d.threshold,
                 d.validation_median, d.validation_max, d.validation_images);
    return Status::success();
}

}  // namespace rl
