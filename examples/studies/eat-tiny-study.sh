#!/usr/bin/env bash
# The README's EAT-tiny study, end to end: three pre-training seeds of EatTiny, each linear-probed on both demo
# tasks against a random-init twin of the same seed; then Audio-MAE-tiny trained for the same wall time as
# EatTiny's seed 0 and probed alike; then the table. About 25 minutes on 2 cores. Needs python3 for the table.
#   bash examples/studies/eat-tiny-study.sh [out-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study}"
mkdir -p "$out"
./avdsl corpus

probe() { # run-dir seed
  for task in keywords notes; do
    for split in test val; do
      ./avdsl eval "$1" --task "$task" --probe linear --seed "$2" --split "$split" | tail -2
      ./avdsl eval "$1" --task "$task" --probe linear --seed "$2" --split "$split" --init random | tail -2
    done
  done
}

for seed in 0 1 2; do
  run="$out/eat-tiny-seed$seed"
  [ -f "$run/checkpoint-final.safetensors" ] || { rm -rf "$run"; ./avdsl train "EatTinySeeds_TrainSeed$seed" --run-dir "$run" --checkpoint-every never; }
  probe "$run" "$seed"
done

# Audio-MAE-tiny for EatTiny's wall time: calibrate its step time, then train that many steps.
run="$out/audio-mae-tiny-equal-time"
if [ ! -f "$run/checkpoint-final.safetensors" ]; then
  rm -rf "$out/audio-mae-tiny-calibration" "$run"
  ./avdsl train AudioMaeTiny --steps 40 --run-dir "$out/audio-mae-tiny-calibration" --checkpoint-every never > /dev/null
  steps=$(python3 - "$out" <<'PY'
import json, sys, statistics
out = sys.argv[1]
def ms(path, skip):
    rows = [json.loads(l) for l in open(path)]
    return [r["step_ms"] for r in rows[skip:]]
eat = sum(ms(f"{out}/eat-tiny-seed0/metrics.jsonl", 0))
step = statistics.median(ms(f"{out}/audio-mae-tiny-calibration/metrics.jsonl", 5))
print(max(1, round(eat / step)))
PY
)
  echo "Audio-MAE-tiny: $steps steps to match EatTiny seed 0's wall time"
  ./avdsl train AudioMaeTiny --steps "$steps" --run-dir "$run" --checkpoint-every never
fi
probe "$run" 0

./avdsl cost EatTiny AudioMaeTiny
python3 - "$out" <<'PY'
import json, sys, statistics, glob, os
out = sys.argv[1]
def acc(run, task, random, split="test"):
    name = f"{task}-linear{'-random' if random else ''}{'' if split == 'test' else '-' + split}.json"
    return 100 * json.load(open(os.path.join(run, "eval", name)))["accuracy"]
def wall(run):
    rows = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl"))]
    return sum(r["step_ms"] for r in rows) / 1000, len(rows)
print("\nlinear-probe accuracy (%); mean ± sample std over seeds 0, 1, 2")
for task, split in [("keywords", "test"), ("notes", "test"), ("keywords", "val"), ("notes", "val")]:
    pre = [acc(f"{out}/eat-tiny-seed{s}", task, False, split) for s in range(3)]
    rnd = [acc(f"{out}/eat-tiny-seed{s}", task, True, split) for s in range(3)]
    each = lambda xs: "/".join(f"{x:.1f}" for x in xs)
    print(f"  {task:9} {split:4} EatTiny pre-trained {statistics.mean(pre):5.1f} ± {statistics.stdev(pre):4.1f} ({each(pre)})"
          f"   random init {statistics.mean(rnd):5.1f} ± {statistics.stdev(rnd):4.1f} ({each(rnd)})")
import csv, math
clips = sum(1 for row in csv.DictReader(open("data/demo-corpus/pretrain.csv")) if row["split"] == "train")
per_epoch = math.ceil(clips / 8)  # both tiny specs train with batch 8
print("\nequal wall time, seed 0")
for name, run in [("EatTiny", f"{out}/eat-tiny-seed0"), ("AudioMaeTiny", f"{out}/audio-mae-tiny-equal-time")]:
    seconds, steps = wall(run)
    print(f"  {name:13} {steps} steps in {seconds:6.1f} s ({seconds / steps * per_epoch:5.1f} s per epoch of {clips} clips)"
          f"  keywords {acc(run, 'keywords', False):5.1f}  notes {acc(run, 'notes', False):5.1f}")
PY
