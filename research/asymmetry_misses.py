#!/usr/bin/python3
# An experiment, not part of the product: does brain_mri's asymmetry channel
# miss tumours that look alike on both sides, such as midline masses? Two
# cross-fitted runs with the same folds (e.g. with and without --asymmetry).
# Each slice's asymmetry is measured on the model input after aligning the
# slice with its mirror: the mean |slice - mirror| over the overlap. Slices
# are split into thirds by it, and each third's errors are counted in both
# runs, at each run's own operating point. docs/models.md (What the channel
# misses) has the figures. Debian's numpy; the core's preprocess_dump.
#   research/asymmetry_misses.py runs/cfa runs/cfna
import sys
import numpy as np
from brain_runs import load, mirror_alignment, model_inputs

names = sys.argv[1:3]
a, b = load(names[0]), load(names[1])
if a.truth != b.truth: sys.exit('the two runs do not score the same images: run them with the same --seed')
paths = sorted(a.truth)
asym = np.array([float(np.abs(np.subtract(*mirror_alignment(x)[1:])).mean()) for x in model_inputs(paths)])
y = np.array([a.truth[p] for p in paths])
wrong = [np.array([r.called[p] != bool(r.truth[p]) for p in paths]) for r in (a, b)]
for label, name, error in ((1, 'tumour', 'missed'), (0, 'normal', 'called tumour')):
    idx = np.flatnonzero(y == label)
    third = np.digitize(asym[idx], np.quantile(asym[idx], [1 / 3, 2 / 3]))
    for t, part in enumerate(('least', 'middle', 'most')):
        sel = idx[third == t]
        counts = [f'{w[sel].sum()} (in {len({a.group[paths[i]] for i in sel[w[sel]]})} groups) in {n}' for w, n in zip(wrong, names)]
        print(f'{name} slices, {part} asymmetric third ({len(sel)}, asymmetry {asym[sel].min():.3f}-{asym[sel].max():.3f}): '
              f'{error} {counts[0]}, {counts[1]}')
