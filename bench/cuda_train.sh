#!/usr/bin/env bash
# Trainer throughput on CUDA against the same machine's CPU, on synthetic
# images in the Br35H layout (yes/: a bright disc in noise, no/: noise), so it
# runs where the data folder is not at hand. Needs a radiolens-train built
# against a CUDA LibTorch (docs/training.md, "CUDA"), and python3 with numpy and Pillow.
#   bench/cuda_train.sh TRAINER [CPU_THREADS]
set -euo pipefail
trainer=$1 threads=${2:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import os, sys
import numpy as np
from PIL import Image
root, rng = sys.argv[1], np.random.default_rng(1)
yy, xx = np.ogrid[:256, :256]
for label in ("yes", "no"):
    os.makedirs(f"{root}/brain_mri/{label}")
    for i in range(1000):
        img = rng.normal(60, 20, (256, 256))
        if label == "yes":
            y, x = rng.integers(60, 196, 2)
            img[(yy - y) ** 2 + (xx - x) ** 2 < rng.integers(8, 30) ** 2] += 90
        Image.fromarray(img.clip(0, 255).astype(np.uint8)).save(f"{root}/brain_mri/{label}/{label}{i}.png")
PY
"$trainer" train --task brain_mri --data "$work" --run-dir "$work/cuda" --device cuda --epochs 4 --members 1 >/dev/null 2>&1
"$trainer" --threads "$threads" train --task brain_mri --data "$work" --run-dir "$work/cpu" --device cpu --epochs 1 --members 1 >/dev/null 2>&1
echo "one brain_mri network (128 px, batch 32), images/s per epoch from log.jsonl:"
echo "cuda: $(grep -o '"images_per_s": [0-9.]*' "$work/cuda/log.jsonl" | cut -d' ' -f2 | tr '\n' ' ')"
echo "cpu ($threads threads): $(grep -o '"images_per_s": [0-9.]*' "$work/cpu/log.jsonl" | cut -d' ' -f2)"
