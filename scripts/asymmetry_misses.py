#!/usr/bin/python3
# An experiment, not part of the product: does brain_mri's asymmetry channel
# miss tumours that look alike on both sides, such as midline masses? Two
# cross-fitted runs with the same folds (e.g. with and without --asymmetry). Each
# slice's asymmetry is measured on the model input (128 px, equalised) after
# aligning the slice with its mirror (scripts/midline_shift.py's best shift):
# the mean |slice - mirror| over the overlap. Slices are split into thirds by
# it, and each third's errors are counted in both runs, at each run's own
# operating point. docs/models.md (What the channel misses) has the figures. Debian's numpy;
# the core's preprocess_dump.
#   scripts/asymmetry_misses.py runs/cfa runs/cfna
import csv, subprocess, sys, tempfile
import numpy as np


def load(run):
    rows = list(csv.DictReader(open(f'{run}/validation.csv')))
    truth, group = {r['path']: int(r['tumor']) for r in rows}, {r['path']: r['group'] for r in rows}
    called = {r['path']: r['decision'] == 'tumor' for r in csv.DictReader(open(f'{run}/validation_predictions.csv'))}
    return truth, group, called


run_a, run_b = sys.argv[1], sys.argv[2]
(truth, group, called_a), (truth_b, _, called_b) = load(run_a), load(run_b)
if truth != truth_b: sys.exit('the two runs do not score the same images: run them with the same --seed')
paths = sorted(truth)
with tempfile.TemporaryDirectory() as d:  # the model's input as the trainer and app see it, before mean/std
    subprocess.run(['build/native/tests/preprocess_dump', d, '128', '128', 'crop_to_content', 'equalize', '0', '1'] + paths, check=True)
    images = [np.fromfile(f'{d}/{i}.f32', dtype=np.float32).reshape(128, 128) for i in range(len(paths))]


def aligned_asymmetry(x):  # mean |x - mirror| at the shift where the two match best
    m = x[:, ::-1]
    overlaps = [(x[:, max(0, s):128 + min(0, s)], m[:, max(0, -s):128 + min(0, -s)]) for s in range(-16, 17)]
    a, b = max(overlaps, key=lambda o: np.corrcoef(o[0].ravel(), o[1].ravel())[0, 1])
    return float(np.abs(a - b).mean())


asym = np.array([aligned_asymmetry(x) for x in images])
y = np.array([truth[p] for p in paths])
wrong_a = np.array([called_a[p] != bool(truth[p]) for p in paths])
wrong_b = np.array([called_b[p] != bool(truth[p]) for p in paths])
for label, name, error in ((1, 'tumour', 'missed'), (0, 'normal', 'called tumour')):
    idx = np.flatnonzero(y == label)
    edges = np.quantile(asym[idx], [1 / 3, 2 / 3])
    third = np.digitize(asym[idx], edges)
    for t, part in enumerate(('least', 'middle', 'most')):
        sel = idx[third == t]
        groups = lambda wrong: len({group[paths[i]] for i in sel[wrong[sel]]})
        print(f'{name} slices, {part} asymmetric third ({len(sel)}, asymmetry {asym[sel].min():.3f}-{asym[sel].max():.3f}): '
              f'{error} {wrong_a[sel].sum()} (in {groups(wrong_a)} groups) in {run_a}, {wrong_b[sel].sum()} ({groups(wrong_b)}) in {run_b}')
