// Which members validate on which training images. The pool holds a run's
// training and validation images; each pool row has a fold: the members of
// that fold validate on it and do not train on it (-1: no member validates
// on it). Held out, one validation split is fold 0 of every member;
// cross-fitted, member m has fold m to itself.
#pragma once
#include <torch/torch.h>

#include <vector>

#include "network.h"

namespace rl {

// The fold member `member` validates on.
int folds_of_member(bool cross_fit, int member);

// Pool rows in fold f (in = true), or outside it: what a member of fold f
// validates on, or trains on. folds_rows(fold, -1, false): every row some
// member validates on. [rows] int64.
torch::Tensor folds_rows(const std::vector<int>& fold, int f, bool in);

// t's rows `rows` (dimension 0): a view when they are consecutive, as a
// held-out run's training and validation rows are, so that the training
// images are not copied once per member; a copy otherwise.
torch::Tensor folds_take(const torch::Tensor& t, const torch::Tensor& rows);

// Each pool row's eval-mode logits averaged over the members that validate
// on it, and with `mirror` over the image and its left-right mirror too, as
// the exported model does; zero where no member validates on it.
// images [N, 1, H, W]; returns [N, K] float32.
torch::Tensor folds_validation_logits(std::vector<Network>& members, const torch::Tensor& images, const std::vector<int>& fold,
                                      bool cross_fit, bool mirror);

}  // namespace rl
