#!/usr/bin/env bash
# Issue 14's question: with the post-norm encoder's input LayerNorm (as EAT's official code has it), does the paper's
# post-norm EAT-tiny still collapse? Three seeds of EatTinyPostNorm, each linear-probed on both demo tasks (test and
# val splits) against a random-init twin of the same seed, as the README's pre-norm study is. About 25 minutes.
#   bash examples/studies/eat-tiny-postnorm.sh [out-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study-postnorm}"
mkdir -p "$out"
./avdsl corpus

for seed in 0 1 2; do
  run="$out/eat-tiny-postnorm-seed$seed"
  [ -f "$run/checkpoint-final.safetensors" ] || { rm -rf "$run"; ./avdsl train "EatTinyPostNorm_EncoderNormPost_TrainSeed$seed" --run-dir "$run" --checkpoint-every never; }
  for task in keywords notes; do
    for split in test val; do
      ./avdsl eval "$run" --task "$task" --probe linear --seed "$seed" --split "$split" | tail -1
      ./avdsl eval "$run" --task "$task" --probe linear --seed "$seed" --split "$split" --init random | tail -1
    done
  done
done

python3 - "$out" <<'PY'
import json, glob, statistics, sys
out = sys.argv[1]
rows = {}
for seed in (0, 1, 2):
    for path in glob.glob(f"{out}/eat-tiny-postnorm-seed{seed}/eval/*.json"):
        d = json.load(open(path))
        split = "val" if path.endswith("-val.json") else "test"
        rows.setdefault((d["task"], split, d["init"]), {})[seed] = 100 * d["accuracy"]
def cell(r):
    v = [r[s] for s in sorted(r)]
    return "/".join(f"{x:.1f}" for x in v) + f" = {statistics.mean(v):.1f} ± {statistics.stdev(v):.1f}"
for task in ("keywords", "notes"):
    for split in ("test", "val"):
        print(f"{task} {split}: post-norm {cell(rows[(task, split, 'checkpoint')])}   random init {cell(rows[(task, split, 'random')])}")
PY
