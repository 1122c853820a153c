#!/usr/bin/env bash
# The README's MAViL-tiny study (issue 16), end to end on the demo corpus' video and sound:
#  1. three pre-training seeds of MavilTiny (490 steps each), each evaluated against a random-init twin of the same seed:
#     zero-shot audio<->video retrieval on both tasks' test clips, and audio linear probes on both tasks;
#  2. stage 2 against stage 1 at the same budget in steps: per seed, a stage-1 run of half the steps (245) is the frozen
#     teacher of a stage-2 student trained the other half (MavilTinyStage2, 245 steps); compared with the 490-step
#     stage-1 run of step 1, evaluated alike;
#  3. the tables, mean ± sample std over seeds. About 75 minutes on 2 cores. Needs python3 for the tables.
#   bash examples/studies/mavil-tiny-study.sh [out-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study-mavil}"
mkdir -p "$out"
./avdsl corpus

evaluate() { # run-dir seed
  for task in keywords notes; do
    [ -f "$1/eval/$task-retrieval.json" ] || ./avdsl eval "$1" --task "$task" --retrieval --seed "$2" | tail -1
    [ -f "$1/eval/$task-linear.json" ] || ./avdsl eval "$1" --task "$task" --probe linear --seed "$2" | tail -1
    [ -f "$1/eval/$task-linear-random.json" ] || ./avdsl eval "$1" --task "$task" --probe linear --seed "$2" --init random | tail -1
  done
}

train() { # run-dir spec [train options]
  local run="$1" spec="$2"
  shift 2
  [ -f "$run/checkpoint-final.safetensors" ] || { rm -rf "$run"; ./avdsl train "$spec" --run-dir "$run" --checkpoint-every never "$@"; }
}

for seed in 0 1 2; do
  train "$out/stage1-seed$seed" "MavilTinySeeds_TrainSeed$seed"
  evaluate "$out/stage1-seed$seed" "$seed"
done

for seed in 0 1 2; do
  train "$out/stage1-half-seed$seed" "MavilTinySeeds_TrainSeed$seed" --steps 245
  # The student's teacher is this seed's half-length stage-1 run: a spec of the study's own that names it.
  spec="$out/stage2-seed$seed.avml"
  cat > "$spec" <<AVML
import "$PWD/specs/mavil-tiny.avml"

spec MavilTinyStudyStage2Seed$seed extends MavilTinyStage2 {
  teacher.run = "$out/stage1-half-seed$seed"
  train {
    seed: $seed
  }
}
AVML
  train "$out/stage2-seed$seed" "$spec" --steps 245
  evaluate "$out/stage2-seed$seed" "$seed"
done

python3 - "$out" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
def load(run, name):
    return json.load(open(os.path.join(out, run, "eval", name)))
def cell(xs):
    return f"{statistics.mean(xs):5.1f} ± {statistics.stdev(xs):4.1f}"
def wall(run):
    rows = [json.loads(l) for l in open(os.path.join(out, run, "metrics.jsonl"))]
    return sum(r["step_ms"] for r in rows) / 1000
seeds = (0, 1, 2)
print("\nzero-shot retrieval on each task's test clips (%, median rank); mean ± sample std over seeds 0, 1, 2")
for task in ("keywords", "notes"):
    for direction, key in (("audio → video", "first_to_second"), ("video → audio", "second_to_first")):
        for label, run, name in (("stage 1", "stage1-seed{}", "retrieval"), ("random init", "stage1-seed{}", "retrieval-random"),
                                 ("stage 2", "stage2-seed{}", "retrieval")):
            r = [load(run.format(s), f"{task}-{name}.json")[key] for s in seeds]
            print(f"  {task:8} {direction}  {label:11}  R@1 {cell([100 * x['r1'] for x in r])}  R@5 {cell([100 * x['r5'] for x in r])}"
                  f"  R@10 {cell([100 * x['r10'] for x in r])}  median rank {cell([x['median_rank'] for x in r])}"
                  f"  class@1 {cell([100 * x['same_class_r1'] for x in r])}  largest hub {cell([100 * x['largest_hub'] for x in r])}")
print("\naudio linear probes on the test split (%); mean ± sample std over seeds 0, 1, 2")
for task in ("keywords", "notes"):
    for label, run, name in (("stage 1", "stage1-seed{}", "linear"), ("random init", "stage1-seed{}", "linear-random"),
                             ("stage 2", "stage2-seed{}", "linear")):
        acc = [100 * load(run.format(s), f"{task}-{name}.json")["accuracy"] for s in seeds]
        print(f"  {task:8} {label:11} {cell(acc)}  ({'/'.join(f'{a:.1f}' for a in acc)})")
print("\nwall time of training (s), seed by seed")
for s in seeds:
    print(f"  seed {s}: stage 1, 490 steps {wall(f'stage1-seed{s}'):6.1f}; stage 1, 245 steps {wall(f'stage1-half-seed{s}'):6.1f}"
          f" + stage 2, 245 steps {wall(f'stage2-seed{s}'):6.1f}")
PY
