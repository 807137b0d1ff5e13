#!/usr/bin/python3
# Whether brain_mri's extras earn their keep on both sources: scores a held-out
# run's validation images (runs/brain_mri/validation.csv, with its source
# column) again from its members' checkpoints, as one network or the three
# averaged, with and without mirror averaging, and prints the validation AUC
# of each source with its group interval (brain_runs.members: in float32).
# Run from the repository root, after `make native`. docs/models.md.
#   research/brain_sources.py RUN_DIR
import csv, json, os, sys
import numpy as np
import torch
from brain_runs import members, mirror_logits, model_inputs
from oof_scores import auc, group_interval


@torch.no_grad()
def plain_logits(net, z):
    return torch.cat([net(z[i:i + 256]) for i in range(0, len(z), 256)])


def main():
    run = sys.argv[1]
    torch.set_num_threads(os.cpu_count())
    card = json.load(open(f'{run}/brain_mri.draft.json'))
    mean, std = card['input']['mean'], card['input']['std']
    rows = list(csv.DictReader(open(f'{run}/validation.csv')))
    z = (torch.from_numpy(np.stack(model_inputs([r['path'] for r in rows])))[:, None] - mean) / std
    nets = members(run)
    score = lambda logits: (logits[:, 1] - logits[:, 0]).numpy()
    one = lambda f: [score(f(net, z)) for net in nets]
    plain, mirrored = one(plain_logits), one(mirror_logits)
    arms = {'network 1 alone': plain[0], 'network 1, mirror averaged': mirrored[0],
            f'{len(nets)} networks averaged': np.mean(plain, 0), f'{len(nets)} networks, mirror averaged (shipped)': np.mean(mirrored, 0)}
    truth = np.array([int(r['tumor']) for r in rows])
    groups = np.array([r['group'] for r in rows])
    for source in sorted({r['source'] for r in rows}):
        keep = np.array([r['source'] == source for r in rows])
        print(f'{source}: {keep.sum()} validation slices, {truth[keep].sum()} tumours, {len(set(groups[keep]))} groups')
        rows_of = [np.flatnonzero(groups[keep] == g) for g in sorted(set(groups[keep]))]
        for name, s in arms.items():
            y, v = truth[keep], s[keep]
            lo, hi = group_interval(rows_of, lambda i: auc(v[i], y[i]), resamples=500)
            print(f'  {name:<44} AUC {auc(v, y):.4f} [{lo:.4f}, {hi:.4f}]')


if __name__ == '__main__':
    main()
