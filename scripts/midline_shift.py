#!/usr/bin/python3
# An experiment, not part of the product: are a cross-fitted brain_mri run's
# out-of-fold errors off-centre heads? Each slice's best horizontal shift
# against its own mirror (model input, 128 px, within 16 px), for the slices
# called right and wrong in each class. docs/models.md (The same run on
# another CPU) has the figures. Debian's numpy; the core's preprocess_dump.
#   scripts/midline_shift.py runs/cfa
import csv, subprocess, sys, tempfile
import numpy as np

run = sys.argv[1]
truth = {r['path']: int(r['tumor']) for r in csv.DictReader(open(f'{run}/validation.csv'))}
called = {r['path']: r['decision'] == 'tumor' for r in csv.DictReader(open(f'{run}/validation_predictions.csv'))}
paths = sorted(truth)
with tempfile.TemporaryDirectory() as d:  # the model's input as the trainer and app see it, before mean/std
    subprocess.run(['build/native/tests/preprocess_dump', d, '128', '128', 'crop_to_content', 'equalize', '0', '1'] + paths, check=True)
    images = [np.fromfile(f'{d}/{i}.f32', dtype=np.float32).reshape(128, 128) for i in range(len(paths))]


def best_shift(x):  # shift s (px) at which the slice best matches its mirror: the midline sits s/2 px off centre
    m = x[:, ::-1]
    corr = [np.corrcoef(x[:, max(0, s):128 + min(0, s)].ravel(), m[:, max(0, -s):128 + min(0, -s)].ravel())[0, 1]
            for s in range(-16, 17)]
    return int(np.argmax(corr)) - 16


shift = np.abs(np.array([best_shift(x) for x in images]))
y = np.array([truth[p] for p in paths])
wrong = np.array([called[p] != bool(truth[p]) for p in paths])
for label, name in ((0, 'normal'), (1, 'tumour')):
    for w, verdict in ((False, 'called right'), (True, 'called wrong')):
        s = shift[(y == label) & (wrong == w)]
        print(f'{name} slices {verdict}: {len(s)}, shifted 4 px or more: {(s >= 4).sum()} ({(s >= 4).mean():.0%})')
