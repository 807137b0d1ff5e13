#!/usr/bin/env bash
# Test ROC AUC (or the card's first metric) against the share of training
# groups, validation and test held fixed: does more data still help?
#   research/learning_curve.sh TASK [FRACTIONS...]   (default 0.25 0.5 0.75 1)
# Writes runs/<task>-curve/<fraction>/ and prints one line a fraction.
set -euo pipefail
cd "$(dirname "$0")/.."
task=$1; shift
fractions=${*:-0.25 0.5 0.75 1}
data=${RL_DATA_DIR:-../shared/data}
mkdir -p "runs/$task-curve"
for f in $fractions; do
  run=runs/$task-curve/$f
  build/native/trainer/radiolens-train train --task "$task" --data "$data" --run-dir "$run" --train-fraction "$f" 2>"$run.log" \
    || { echo "fraction $f failed: see $run.log" >&2; exit 1; }
  node cli/classify.mjs --card "$run/$task.draft.json" --draft --list "$run/test.csv" --out "$run/test_predictions.csv" 2>/dev/null
  build/native/trainer/radiolens-train evaluate --draft "$run/$task.draft.json" --truth "$run/test.csv" \
    --predictions "$run/test_predictions.csv" --out "$run/$task.card.json" > "$run/evaluation.txt"
  train_images=$(grep -o '[0-9]* train' "$run.log" | head -1)
  val=$(find "$run" -name log.jsonl -exec grep -h '"val_score"' {} + | sed 's/.*"val_score": \([0-9.]*\).*/\1/' | sort -n | tail -1)
  auc=$(grep -m1 ' roc_auc ' "$run/evaluation.txt" | sed 's/^ *//')
  echo "fraction $f ($train_images): best validation score $val; test $auc"
done
