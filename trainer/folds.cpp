// Fold bookkeeping for held-out and cross-fitted runs; see folds.h.
#include "folds.h"

#include <map>

#include "train.h"

namespace rl {

int folds_of_member(bool cross_fit, int member) { return cross_fit ? member : 0; }

torch::Tensor folds_rows(const std::vector<int>& fold, int f, bool in) {
    std::vector<int64_t> rows;
    for (size_t r = 0; r < fold.size(); ++r)
        if ((fold[r] == f) == in) rows.push_back(int64_t(r));
    return torch::tensor(rows, torch::kLong);
}

torch::Tensor folds_take(const torch::Tensor& t, const torch::Tensor& rows) {
    const int64_t n = rows.numel();
    if (n == 0) return t.index_select(0, rows);
    const int64_t first = rows[0].item<int64_t>();
    if (rows[n - 1].item<int64_t>() - first == n - 1) return t.narrow(0, first, n);  // rows are sorted and distinct
    return t.index_select(0, rows);
}

torch::Tensor folds_validation_logits(std::vector<Network>& members, const torch::Tensor& images, const std::vector<int>& fold,
                                      bool cross_fit, bool mirror) {
    std::map<int, int> fold_members;
    for (int m = 0; m < int(members.size()); ++m) fold_members[folds_of_member(cross_fit, m)] += 1;
    torch::Tensor logits;
    for (int m = 0; m < int(members.size()); ++m) {
        const int f = folds_of_member(cross_fit, m);
        const torch::Tensor rows = folds_rows(fold, f, true);
        const torch::Tensor x = folds_take(images, rows);
        torch::Tensor member_logits = train_predict_logits(members[size_t(m)], x, 256, torch::kCPU);
        if (mirror) member_logits = (member_logits + train_predict_logits(members[size_t(m)], x.flip({3}), 256, torch::kCPU)) / 2.0;
        if (!logits.defined()) logits = torch::zeros({images.size(0), member_logits.size(1)});
        logits.index_add_(0, rows, member_logits / double(fold_members[f]));
    }
    return logits;
}

}  // namespace rl
