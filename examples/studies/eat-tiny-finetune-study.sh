#!/usr/bin/env bash
# EAT's fine-tuning recipe on EAT-tiny, three seeds: each pre-trained EatTiny seed fine-tuned with the spec's
# `finetune` recipe (drop-path 0.1, time and frequency masks, mixup, layer-wise LR decay 0.65), against a random-init
# twin fine-tuned alike and against the linear probe of the same checkpoint; then the table. Reuses the pre-trained
# runs of eat-tiny-study.sh when they are in the same folder. About an hour on 2 cores. Needs python3 for the table.
#   bash examples/studies/eat-tiny-finetune-study.sh [out-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study}"
mkdir -p "$out"
./avdsl corpus

for seed in 0 1 2; do
  run="$out/eat-tiny-seed$seed"
  [ -f "$run/checkpoint-final.safetensors" ] || { rm -rf "$run"; ./avdsl train "EatTinySeeds_TrainSeed$seed" --run-dir "$run" --checkpoint-every never; }
  for task in keywords notes; do
    ./avdsl eval "$run" --task "$task" --probe finetune --seed "$seed" | tail -3
    ./avdsl eval "$run" --task "$task" --probe finetune --seed "$seed" --init random | tail -3
    ./avdsl eval "$run" --task "$task" --probe linear --seed "$seed" | tail -2
  done
done

python3 - "$out" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
def acc(seed, task, name):
    return 100 * json.load(open(os.path.join(out, f"eat-tiny-seed{seed}", "eval", f"{task}-{name}.json")))["accuracy"]
def cell(values):
    return " / ".join(f"{v:.1f}" for v in values) + f" = {statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"
print("| task (test clips) | fine-tuned from pre-training | fine-tuned from random init | linear probe of the pre-trained |")
print("| --- | --- | --- | --- |")
for task, clips in [("keywords", 40), ("notes", 80)]:
    cols = [[acc(s, task, n) for s in range(3)] for n in ["finetune", "finetune-random", "linear"]]
    print(f"| {task} ({clips}) | " + " | ".join(cell(c) for c in cols) + " |")
PY
