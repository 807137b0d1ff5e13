# Shared by the brain_mri experiment scripts (oof_mean.py, midline_shift.py,
# asymmetry_misses.py, brain_views.py): a cross-fitted run's out-of-fold
# files, the model's inputs for a list of slices, and a slice's alignment
# with its mirror.
import csv, subprocess, tempfile
from collections import namedtuple
import numpy as np

# Per image path: label (1: tumour), group, tumour probability, called tumour.
Run = namedtuple('Run', 'truth group prob called')


def load(run):
    """radiolens-train train --cross-fit's validation.csv and validation_predictions.csv in RUN."""
    rows = list(csv.DictReader(open(f'{run}/validation.csv')))
    predictions = list(csv.DictReader(open(f'{run}/validation_predictions.csv')))
    return Run({r['path']: int(r['tumor']) for r in rows}, {r['path']: r['group'] for r in rows},
               {r['path']: float(r['tumor']) for r in predictions}, {r['path']: r['decision'] == 'tumor' for r in predictions})


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
