#!/usr/bin/python3
# Cross-fitted brain_mri runs (radiolens-train train --cross-fit), each out of
# fold for every image outside its test split, and the per-image mean of their
# tumour probabilities: an out-of-fold prediction of an ensemble of as many
# networks. Scores each run and the mean alike, on the images outside test in
# every run (another --seed deals another test split): AUC, the balanced error
# at the best threshold on the same predictions, which flatters each alike (so
# they compare with each other, not with `evaluate`, which uses the card's
# threshold), and the balanced error at 0.5, which nothing was tuned on; for
# the mean, 95 % intervals over 1,000 resamples of the groups, as the cards'.
# docs/models.md.
#   research/oof_mean.py RUN_DIR RUN_DIR [RUN_DIR...]
import sys
import numpy as np
from brain_runs import load
from oof_scores import auc, balanced_error, best_balanced_error, group_interval

runs = [load(r) for r in sys.argv[1:]]
if len(runs) < 2: sys.exit('usage: oof_mean.py RUN_DIR RUN_DIR [RUN_DIR...]')
paths = sorted(set.intersection(*(set(r.truth) for r in runs)))
truth, group = runs[0].truth, runs[0].group
if any(r.truth[p] != truth[p] for r in runs for p in paths): sys.exit('the runs disagree on a label')
y = np.array([truth[p] for p in paths])
scores = [np.array([r.prob[p] for p in paths]) for r in runs]
mean = np.mean(scores, axis=0)
print(f'{len(paths)} images ({y.sum()} tumour) outside test in every run')
for name, s in [(run, s) for run, s in zip(sys.argv[1:], scores)] + [(f'mean of {len(runs)}', mean)]:
    print(f'{name:16s} AUC {auc(s, y):.4f}  balanced error {best_balanced_error(s, y):.4f}, at 0.5 {balanced_error(s, y, 0.5):.4f}')

groups = sorted({group[p] for p in paths})
rows_of = [np.array([i for i, p in enumerate(paths) if group[p] == g]) for g in groups]
low, high = group_interval(rows_of, lambda idx: (auc(mean[idx], y[idx]), balanced_error(mean[idx], y[idx], 0.5)))
print(f'mean of {len(runs)}, 95 % over {len(groups)} groups: AUC [{low[0]:.4f}, {high[0]:.4f}], '
      f'balanced error at 0.5 [{low[1]:.4f}, {high[1]:.4f}]')
