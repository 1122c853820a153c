#!/usr/bin/env bash
# The continual study of issue 18: STELLA and its baselines (specs/cav-mae-tiny-continual.avml) pre-trained on the demo
# corpus' four tasks in turn, three seeds each, every run evaluated after every task (`avdsl eval RUN --continual`), the
# run's peak RSS from /usr/bin/time -v; then, for each method in a process of its own, `avdsl cost --measure` trains 8 steps
# (replaying from the second) for the median step time and the peak memory growth above the process before the model.
# About 60 minutes on 2 cores.
#   bash examples/studies/continual-tiny-study.sh [out-dir]
#   LR=5e-4 bash examples/studies/continual-tiny-study.sh runs/study-continual-lr   (the same at lr 5e-4 [open]:
#     examples/studies/continual-tiny-lr.avml; step cost is the same, so no cost measurement)
# STEPS=N trains N steps per task instead of the spec's epochs (a smoke run of the script).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study-continual}"
mkdir -p "$out"
./avdsl corpus >/dev/null
steps=()
[ -n "${STEPS:-}" ] && steps=(--steps "$STEPS")

methods=(Continual Er Der Lump Multitask Stella)
spec_of() { [ "$1" = Stella ] && echo StellaTiny || echo "CavMaeTiny$1"; }
file=specs/cav-mae-tiny-continual.avml
variant() { echo "$(spec_of "$1")Seeds_TrainSeed$2"; }
case "${LR:-}" in
  "") ;;
  5e-4) file=examples/studies/continual-tiny-lr.avml; variant() { echo "$(spec_of "$1")Lr_TrainLr5em4_TrainSeed$2"; } ;;
  *) echo "LR=$LR: examples/studies/continual-tiny-lr.avml has sweeps at 5e-4 only" >&2; exit 2 ;;
esac
for seed in 0 1 2; do
  for method in "${methods[@]}"; do
    run="$out/$method-seed$seed"
    if [ ! -f "$run/checkpoint-final.safetensors" ]; then
      rm -rf "$run" "$run.time"
      /usr/bin/time -v -o "$run.time" ./avdsl train "$file" --spec "$(variant "$method" "$seed")" \
        --run-dir "$run" --checkpoint-every never "${steps[@]}" | tail -1
      mv "$run.time" "$run/time.txt"
    fi
    [ -f "$run/eval/continual.json" ] || ./avdsl eval "$run" --continual --seed "$seed" | tail -1
  done
done

for method in "${methods[@]}"; do
  [ -n "${LR:-}" ] || [ -f "$out/$method.cost.json" ] || ./avdsl cost "$(spec_of "$method")" --measure 8 --json > "$out/$method.cost.json"
done

python3 - "$out" <<'PY'
import json, os, re, statistics, sys
out = sys.argv[1]
names = {"Continual": "Finetune", "Er": "ER", "Der": "DER++", "Lump": "LUMP", "Multitask": "Multitask (upper bound)", "Stella": "STELLA"}
def cell(xs, digits=1):
    xs = [x for x in xs if x is not None]
    return "–" if not xs else f"{statistics.mean(xs):.{digits}f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.{digits}f}"
print("average and forgetting of R@1 / R@10 (%) over the four tasks' test splits; mean ± sample std over seeds 0, 1, 2;")
print("peak RSS of the whole run (/usr/bin/time), median step time of the run; `avdsl cost --measure 8`: median step and peak memory growth")
print("| method | a→v R@1 | a→v R@10 | v→a R@1 | v→a R@10 | a→v forgetting R@10 | v→a forgetting R@10 | run peak RSS (MB) | run median step (ms) | measured step (ms) | measured peak growth (MB) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for method, label in names.items():
    reports, rss, step = [], [], []
    for seed in (0, 1, 2):
        run = os.path.join(out, f"{method}-seed{seed}")
        reports.append(json.load(open(os.path.join(run, "eval", "continual.json"))))
        text = open(os.path.join(run, "time.txt")).read()
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024)
        step.append(statistics.median(json.loads(l)["step_ms"] for l in open(os.path.join(run, "metrics.jsonl"))))
    path = os.path.join(out, f"{method}.cost.json")
    cost = json.load(open(path))[0] if os.path.exists(path) else None
    def avg(direction, k):
        return cell([100 * r[direction]["average"][k] for r in reports])
    def forget(direction):
        return cell([100 * r[direction]["forgetting"]["r10"] if r[direction]["forgetting"] else None for r in reports])
    print(f"| {label} | {avg('first_to_second', 'r1')} | {avg('first_to_second', 'r10')} | {avg('second_to_first', 'r1')} | {avg('second_to_first', 'r10')}"
          f" | {forget('first_to_second')} | {forget('second_to_first')} | {cell(rss, 0)} | {cell(step, 0)}"
          + (f" | {cost['measuredMedianStepMs']:.0f} | {cost['measuredPeakGrowthBytes'] / 1048576:.0f} |" if cost else " | – | – |"))
PY
