#!/usr/bin/python3
# Each network's last epoch against the epoch its fold chose, out of fold:
# scores a cross-fitted brain_mri run (radiolens-train train --cross-fit)
# again from its members' best.pt and last.pt, each on its own fold and
# averaged with the mirror, as the model is. Writes RUN/best_epoch and
# RUN/last_epoch, each a run folder as oof_mean.py reads it, so that the two
# are scored alike (both through brain_runs.members, in float32); decisions
# at the run's operating point. Run from the repository root, after `make
# native`. docs/models.md.
#   research/brain_epochs.py RUN_DIR...
#   research/oof_mean.py RUN_DIR/last_epoch RUN_DIR/last_epoch...   (and best_epoch)
import json, os, shutil, sys
import numpy as np
import torch
from brain_runs import folds, load, members, mirror_logits, model_inputs

torch.set_num_threads(os.cpu_count())
for run in sys.argv[1:]:
    card = json.load(open(f'{run}/brain_mri.draft.json'))
    mean, std, temperature = card['input']['mean'], card['input']['std'], card['calibration']['temperature']
    threshold = card['operating_points'][0]['threshold']
    r = load(run)
    paths = list(r.truth)
    z = (torch.from_numpy(np.stack(model_inputs(paths)))[:, None] - mean) / std
    prob = lambda checkpoint: torch.softmax(torch.stack([mirror_logits(n, z) for n in members(run, checkpoint)]) / temperature,
                                            -1)[..., 1].numpy()
    best = prob('best.pt')
    recorded = np.array([r.prob[p] for p in paths])
    fold, rows = folds(run, paths), np.arange(len(paths))
    print(f'{run}: {len(paths)} images; the best epochs give back its predictions within {np.abs(best[fold, rows] - recorded).max():.3f}')
    for name, p in (('best_epoch', best), ('last_epoch', prob('last.pt'))):
        os.makedirs(f'{run}/{name}', exist_ok=True)
        shutil.copy(f'{run}/validation.csv', f'{run}/{name}/validation.csv')
        with open(f'{run}/{name}/validation_predictions.csv', 'w') as out:
            out.write('path,no_tumor,tumor,decision,error\n')
            for path, q in zip(paths, p[fold, rows]):
                out.write(f'{path},{1 - q:.9g},{q:.9g},{"tumor" if q >= threshold else "no_tumor"},\n')
