#!/usr/bin/python3
# Test-time views beyond the mirror, out of fold: scores a cross-fitted
# brain_mri run (radiolens-train train --cross-fit) again from its members'
# checkpoints, each on its own fold, averaging each network's logits over
# shifted or zoomed copies of the slice (and their mirrors), as a graph with
# those views would. The network is bench/train_step.py's copy of the
# trainer's, in float32 (the trainer predicts in bfloat16, so a few
# probabilities move by up to 0.02). Run from the repository root, after
# `make native`. docs/models.md.
#   scripts/brain_views.py RUN_DIR [VIEWS...]   (VIEWS: names from kViews; default all)
import json, os, sys
import numpy as np
import torch
import torch.nn.functional as F
from brain_runs import load, model_inputs
from oof_scores import auc, balanced_error, best_balanced_error
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
from train_step import Network

kViews = {  # each view: a shift in px (x right, y down) and a zoom about the centre
    'shift x/y +-4': [{}, {'dx': 4}, {'dx': -4}, {'dy': 4}, {'dy': -4}],
    'shift y +-6': [{}, {'dy': 6}, {'dy': -6}],
    'zoom 0.9/1.1': [{}, {'zoom': 0.9}, {'zoom': 1.1}],
}


def member(checkpoint):
    """A trainer checkpoint (TorchScript archive of convN / normN / head) in bench/train_step.py's Network, its
    widths and input channels read from the weights."""
    archive = torch.jit.load(checkpoint)
    weights = dict(archive.named_parameters()) | dict(archive.named_buffers())
    blocks = sum(1 for k in weights if k.startswith('conv')) // 2
    net = Network([weights[f'conv{2 * b}.weight'].shape[0] for b in range(blocks)], weights['head.weight'].shape[0], 0.0, 1,
                  weights['conv0.weight'].shape[1] == 2, False)
    convs = [m for m in net.features if isinstance(m, torch.nn.Conv2d)]
    norms = [m for m in net.features if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for i, (conv, norm) in enumerate(zip(convs, norms)):
            conv.weight.copy_(weights[f'conv{i}.weight'])
            for name in ('weight', 'bias', 'running_mean', 'running_var'):
                getattr(norm, name).copy_(weights[f'norm{i}.{name}'])
        net.head.weight.copy_(weights['head.weight'])
        net.head.bias.copy_(weights['head.bias'])
    return net.eval()


def shifted(x, dx=0, dy=0, zoom=1.0):
    """x: model inputs [N, 1, H, W] in [0, 1], moved and zoomed, background 0 (as the crop's padding)."""
    n, _, h, w = x.shape
    theta = torch.tensor([[1 / zoom, 0, -2 * dx / w], [0, 1 / zoom, -2 * dy / h]], dtype=x.dtype).expand(n, 2, 3)
    return F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), align_corners=False)


@torch.no_grad()
def view_logits(net, x, view, mean, std):
    """One view of every slice, and its mirror, averaged: the network's logits [N, 2]."""
    z = (shifted(x, **view) - mean) / std
    return sum(torch.cat([net(image[i:i + 256]) for i in range(0, len(image), 256)]) for image in (z, z.flip(3))) / 2


def main():
    run, names = sys.argv[1], sys.argv[2:] or list(kViews)
    torch.set_num_threads(os.cpu_count())
    card = json.load(open(f'{run}/brain_mri.draft.json'))
    mean, std, temperature = card['input']['mean'], card['input']['std'], card['calibration']['temperature']
    r = load(run)
    paths = list(r.truth)
    x = torch.from_numpy(np.stack(model_inputs(paths)))[:, None]
    y = np.array([r.truth[p] for p in paths])
    nets = [member(f'{run}/member{m}/best.pt') for m in range(1, 5)]
    computed = {}  # each view once, though several sets hold it: (view) -> [members, N, 2] logits

    def logits(view):
        key = tuple(sorted(view.items()))
        if key not in computed: computed[key] = torch.stack([view_logits(n, x, view, mean, std) for n in nets])
        return computed[key]

    prob = lambda views: torch.softmax(sum(logits(v) for v in views) / len(views) / temperature, -1)[..., 1].numpy()
    # Which member scored each image out of fold: the one that gives back the run's own prediction. On a slice
    # that every member is sure of, that may be a member that trained on it; such a slice is far from any threshold.
    plain = prob([{}])
    recorded = np.array([r.prob[p] for p in paths])
    fold = np.abs(plain - recorded).argmin(0)
    rows = np.arange(len(y))
    print(f'{run}: {len(y)} images; the mirror alone gives back its predictions within {np.abs(plain[fold, rows] - recorded).max():.3f}')
    for name, views in [('mirror alone', [{}])] + [(n, kViews[n]) for n in names]:
        p = prob(views)[fold, rows]
        print(f'{name:16s} AUC {auc(p, y):.4f}  balanced error {best_balanced_error(p, y):.4f}, at 0.5 {balanced_error(p, y, 0.5):.4f}')


main()
