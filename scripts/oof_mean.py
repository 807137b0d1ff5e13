#!/usr/bin/python3
# Two cross-fitted brain_mri runs (radiolens-train train --cross-fit), each out
# of fold for every image outside its test split, and the per-image mean of
# their tumour probabilities: an out-of-fold prediction of a two-network
# ensemble. Scores all three on the images outside test in both runs (another
# --seed deals another test split): AUC, and the balanced error at the best
# threshold on the same predictions, so the three compare with each other
# (not with `evaluate`, which uses the card's threshold). docs/models.md.
#   scripts/oof_mean.py RUN_DIR_A RUN_DIR_B
import csv, sys
import numpy as np


def load(run):
    truth = {r['path']: int(r['tumor']) for r in csv.DictReader(open(f'{run}/validation.csv'))}
    prob = {r['path']: float(r['tumor']) for r in csv.DictReader(open(f'{run}/validation_predictions.csv'))}
    return truth, prob


def auc(s, y):
    pos, neg = s[y == 1], s[y == 0]
    return (pos[:, None] > neg[None]).mean() + 0.5 * (pos[:, None] == neg[None]).mean()


def balanced_error(s, y):  # at the threshold that minimises it
    return min(0.5 * ((s[y == 1] < t).mean() + (s[y == 0] >= t).mean()) for t in np.unique(s))


(truth_a, prob_a), (truth_b, prob_b) = load(sys.argv[1]), load(sys.argv[2])
paths = sorted(set(truth_a) & set(truth_b))
if any(truth_a[p] != truth_b[p] for p in paths): sys.exit('the two runs disagree on a label')
y = np.array([truth_a[p] for p in paths])
a, b = np.array([prob_a[p] for p in paths]), np.array([prob_b[p] for p in paths])
print(f'{len(paths)} images ({y.sum()} tumour) outside test in both runs')
for name, s in (('A', a), ('B', b), ('mean of both', (a + b) / 2)):
    print(f'{name:13s} AUC {auc(s, y):.4f}  balanced error {balanced_error(s, y):.4f}')
