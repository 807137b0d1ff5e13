# Shared by the brain_mri experiment scripts (oof_mean.py, midline_shift.py,
# asymmetry_misses.py, brain_views.py, brain_epochs.py): a cross-fitted run's
# out-of-fold files and folds, its members' checkpoints as networks, the
# model's inputs for a list of slices, and a slice's alignment with its mirror.
import csv, os, subprocess, sys, tempfile
from collections import namedtuple
import numpy as np
import torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
from train_step import Network

# Per image path: label (1: tumour), group, tumour probability, called tumour.
Run = namedtuple('Run', 'truth group prob called')


def load(run):
    """radiolens-train train --cross-fit's validation.csv and validation_predictions.csv in RUN."""
    rows = list(csv.DictReader(open(f'{run}/validation.csv')))
    predictions = list(csv.DictReader(open(f'{run}/validation_predictions.csv')))
    return Run({r['path']: int(r['tumor']) for r in rows}, {r['path']: r['group'] for r in rows},
               {r['path']: float(r['tumor']) for r in predictions}, {r['path']: r['decision'] == 'tumor' for r in predictions})


def folds(run, paths):
    """Which member scored each of paths out of fold: indexes into members(run), from RUN/folds.csv."""
    if not os.path.exists(f'{run}/folds.csv'):
        sys.exit(f'{run}/folds.csv: missing (runs trained before the trainer wrote it): `radiolens-train export` with the run\'s '
                 'options (--task, --members, --cross-fit, --seed) writes it from the checkpoints, predictions unchanged')
    fold = {r['path']: int(r['fold']) - 1 for r in csv.DictReader(open(f'{run}/folds.csv'))}
    return np.array([fold[p] for p in paths])


def members(run, checkpoint='best.pt'):
    """A run's networks from their trainer checkpoints (TorchScript archives of convN / normN / head), in
    bench/train_step.py's Network, in float32 (the trainer predicts in bfloat16, so a few probabilities move by up
    to 0.02); widths and input channels are read from the weights. checkpoint 'last.pt': each network's weights
    averaged as at its last epoch, where 'best.pt' holds them as at its best validation epoch."""
    nets, m = [], 1
    while os.path.exists(f'{run}/member{m}/{checkpoint}'):
        archive = torch.jit.load(f'{run}/member{m}/{checkpoint}')
        prefix = 'average.' if checkpoint == 'last.pt' else ''  # last.pt also holds the live weights and the optimiser
        weights = {k[len(prefix):]: v for k, v in (dict(archive.named_parameters()) | dict(archive.named_buffers())).items()
                   if k.startswith(prefix)}
        blocks = sum(1 for k in weights if k.startswith('conv')) // 2
        net = Network([weights[f'conv{2 * b}.weight'].shape[0] for b in range(blocks)], weights['head.weight'].shape[0], 0.0, 1,
                      weights['conv0.weight'].shape[1] == 2, False)
        convs = [c for c in net.features if isinstance(c, torch.nn.Conv2d)]
        norms = [n for n in net.features if isinstance(n, torch.nn.BatchNorm2d)]
        with torch.no_grad():
            for i, (conv, norm) in enumerate(zip(convs, norms)):
                conv.weight.copy_(weights[f'conv{i}.weight'])
                for name in ('weight', 'bias', 'running_mean', 'running_var'):
                    getattr(norm, name).copy_(weights[f'norm{i}.{name}'])
            net.head.weight.copy_(weights['head.weight'])
            net.head.bias.copy_(weights['head.bias'])
        nets.append(net.eval())
        m += 1
    return nets


@torch.no_grad()
def mirror_logits(net, z):
    """Logits [N, K] of normalised inputs z [N, 1, H, W], averaged over each slice and its mirror, as the model does."""
    return sum(torch.cat([net(image[i:i + 256]) for i in range(0, len(image), 256)]) for image in (z, z.flip(3))) / 2


def model_inputs(paths):
    """The model's input as the trainer and app see it (128 px, cropped, equalised), before mean/std: the core's preprocess_dump."""
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(['build/native/tests/preprocess_dump', d, '128', '128', 'crop_to_content', 'equalize', '0', '1'] + paths,
                       check=True)
        return [np.fromfile(f'{d}/{i}.f32', dtype=np.float32).reshape(128, 128) for i in range(len(paths))]


def mirror_alignment(x, reach=16):
    """The horizontal shift s (px, within reach) at which slice x best matches its mirror (the midline sits s/2 px off
    centre), and the two overlapping parts at that shift."""
    m, w = x[:, ::-1], x.shape[1]
    overlap = lambda s: (x[:, max(0, s):w + min(0, s)], m[:, max(0, -s):w + min(0, -s)])
    corr = [np.corrcoef(a.ravel(), b.ravel())[0, 1] for a, b in map(overlap, range(-reach, reach + 1))]
    s = int(np.argmax(corr)) - reach
    return (s,) + overlap(s)
