#!/usr/bin/env bash
# Trains one shipped model from scratch and ships it: train (checkpoints in
# runs/<task>), score the test and validation splits with the exported ONNX
# through the classify command, write the final card, copy both into
# web/models/, and measure its domain check and heat maps into the card
# (scripts/domain_check.mjs, scripts/heatmap_check.mjs).
#   scripts/model.sh TASK [radiolens-train train options, e.g. --resume]
# RL_RUNS_DIR and RL_MODELS_DIR move the run and the shipped files (tests);
# RL_DOMAIN_PER_SET and RL_HEATMAP_IMAGES cap the images those measure on (default 200 a set, 100).
set -euo pipefail
cd "$(dirname "$0")/.."
task=$1; shift
run=${RL_RUNS_DIR:-runs}/$task
models=${RL_MODELS_DIR:-web/models}
data=${RL_DATA_DIR:-../shared/data}
build/native/trainer/radiolens-train train --task "$task" --data "$data" --run-dir "$run" "$@"
node cli/classify.mjs --card "$run/$task.draft.json" --draft --list "$run/test.csv" --out "$run/test_predictions.csv"
# Validation too, for audit: `radiolens-train evaluate --truth $run/validation.csv` scores it or any subset.
# Cross-fitted (--cross-fit), each validation image trained all members but one: the trainer wrote its out-of-fold predictions.
[ -e "$run/validation_predictions.csv" ] ||
  node cli/classify.mjs --card "$run/$task.draft.json" --draft --list "$run/validation.csv" --out "$run/validation_predictions.csv"
build/native/trainer/radiolens-train evaluate --draft "$run/$task.draft.json" --truth "$run/test.csv" \
  --predictions "$run/test_predictions.csv" --out "$run/$task.card.json" | tee "$run/evaluation.txt"
mkdir -p "$models"
cp "$run/$task.onnx" "$run/$task.card.json" "$models/"
node scripts/domain_check.mjs --write --per-set "${RL_DOMAIN_PER_SET:-200}" "$task"
node scripts/heatmap_check.mjs --write --images "${RL_HEATMAP_IMAGES:-100}" "$task"
