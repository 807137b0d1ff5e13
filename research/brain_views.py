#!/usr/bin/python3
# Test-time views beyond the mirror, out of fold: scores a cross-fitted
# brain_mri run (radiolens-train train --cross-fit) again from its members'
# checkpoints, each on its own fold, averaging each network's logits over
# shifted or zoomed copies of the slice (and their mirrors), as a graph with
# those views would, or scoring the slice moved to centre its midline
# (brain_runs.members: in float32). Run from the
# repository root, after `make native`. docs/models.md.
#   research/brain_views.py RUN_DIR [VIEWS...]   (VIEWS: names from kViews; default all)
import json, os, sys
import numpy as np
import torch
import torch.nn.functional as F
from brain_runs import folds, load, members, mirror_alignment, mirror_logits, model_inputs
from oof_scores import auc, balanced_error, best_balanced_error

kViews = {  # each view: a shift in px (x right, y down) and a zoom about the centre
    'shift x/y +-4': [{}, {'dx': 4}, {'dx': -4}, {'dy': 4}, {'dy': -4}],
    'shift y +-6': [{}, {'dy': 6}, {'dy': -6}],
    'zoom 0.9/1.1': [{}, {'zoom': 0.9}, {'zoom': 1.1}],
    'midline centred': [{'midline': True}],  # instead of the slice as it is, not beside it
}


def shifted(x, dx=0, dy=0, zoom=1.0, midline=False):
    """x: model inputs [N, 1, H, W] in [0, 1], moved and zoomed, background 0 (as the crop's padding); with midline,
    each slice moved sideways by half the shift that best matches it to its mirror, so its midline sits at the centre."""
    n, _, h, w = x.shape
    if midline: dx = -torch.tensor([mirror_alignment(s[0].numpy())[0] for s in x], dtype=x.dtype) / 2
    theta = torch.zeros(n, 2, 3, dtype=x.dtype)
    theta[:, 0, 0], theta[:, 1, 1], theta[:, 0, 2], theta[:, 1, 2] = 1 / zoom, 1 / zoom, -2 * torch.as_tensor(dx) / w, -2 * dy / h
    return F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), align_corners=False)


def main():
    run, names = sys.argv[1], sys.argv[2:] or list(kViews)
    torch.set_num_threads(os.cpu_count())
    card = json.load(open(f'{run}/brain_mri.draft.json'))
    mean, std, temperature = card['input']['mean'], card['input']['std'], card['calibration']['temperature']
    r = load(run)
    paths = list(r.truth)
    x = torch.from_numpy(np.stack(model_inputs(paths)))[:, None]
    y = np.array([r.truth[p] for p in paths])
    nets = members(run)
    computed = {}  # each view once, though several sets hold it: (view) -> [members, N, 2] logits

    def logits(view):
        key = tuple(sorted(view.items()))
        if key not in computed: computed[key] = torch.stack([mirror_logits(n, (shifted(x, **view) - mean) / std) for n in nets])
        return computed[key]

    prob = lambda views: torch.softmax(sum(logits(v) for v in views) / len(views) / temperature, -1)[..., 1].numpy()
    plain = prob([{}])
    recorded = np.array([r.prob[p] for p in paths])
    fold, rows = folds(run, paths), np.arange(len(y))
    print(f'{run}: {len(y)} images; the mirror alone gives back its predictions within {np.abs(plain[fold, rows] - recorded).max():.3f}')
    for name, views in [('mirror alone', [{}])] + [(n, kViews[n]) for n in names]:
        p = prob(views)[fold, rows]
        print(f'{name:16s} AUC {auc(p, y):.4f}  balanced error {best_balanced_error(p, y):.4f}, at 0.5 {balanced_error(p, y, 0.5):.4f}')


main()
