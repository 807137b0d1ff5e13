#!/usr/bin/python3
# An experiment, not part of the product: are a cross-fitted brain_mri run's
# out-of-fold errors off-centre heads? Each slice's best horizontal shift
# against its own mirror (model input, 128 px, within 16 px), for the slices
# called right and wrong in each class. docs/models.md (The same run on
# another CPU) has the figures. Debian's numpy; the core's preprocess_dump.
#   research/midline_shift.py runs/cfa
import sys
import numpy as np
from brain_runs import load, mirror_alignment, model_inputs

run = load(sys.argv[1])
paths = sorted(run.truth)
shift = np.abs(np.array([mirror_alignment(x)[0] for x in model_inputs(paths)]))
y = np.array([run.truth[p] for p in paths])
wrong = np.array([run.called[p] != bool(run.truth[p]) for p in paths])
for label, name in ((0, 'normal'), (1, 'tumour')):
    for w, verdict in ((False, 'called right'), (True, 'called wrong')):
        s = shift[(y == label) & (wrong == w)]
        print(f'{name} slices {verdict}: {len(s)}, shifted 4 px or more: {(s >= 4).sum()} ({(s >= 4).mean():.0%})')
