# Shared by the out-of-fold experiment scripts (oof_mean.py,
# mias_lesion_patches.py, brain_views.py): ROC AUC, the balanced error, and
# 95 % intervals over resamples of whole groups, as the cards' bootstrap
# resamples groups rather than images.
import numpy as np


def auc(s, y):
    """ROC AUC of scores s against labels y (1: positive), ties counted half."""
    pos, neg = s[y == 1], s[y == 0]
    return (pos[:, None] > neg[None]).mean() + 0.5 * (pos[:, None] == neg[None]).mean()


def balanced_error(s, y, t):
    """Mean of the miss rate and the false-positive rate when s >= t calls positive."""
    return 0.5 * ((s[y == 1] < t).mean() + (s[y == 0] >= t).mean())


def best_balanced_error(s, y):
    """The balanced error at the threshold that minimises it on these same scores (so it flatters every score alike)."""
    return min(balanced_error(s, y, t) for t in np.unique(s))


def group_interval(rows_of, statistic, resamples=1000):
    """The 2.5th and 97.5th percentiles of statistic(rows) over resamples of the groups; rows_of: each group's rows."""
    rng, values = np.random.default_rng(1), []
    for _ in range(resamples):
        values.append(statistic(np.concatenate([rows_of[g] for g in rng.integers(len(rows_of), size=len(rows_of))])))
    return np.percentile(values, [2.5, 97.5], axis=0)
