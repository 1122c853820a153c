#!/usr/bin/env bash
# The continual study of issue 18 as far as it goes: STELLA's baselines (specs/cav-mae-tiny-continual.avml) pre-trained on the
# demo corpus' four tasks in turn, three seeds each, every run evaluated after every task (`avdsl eval RUN --continual`), peak
# RSS from /usr/bin/time -v. STELLA itself joins when its spec exists. About 45 minutes on 2 cores.
#   bash examples/studies/continual-tiny-study.sh [out-dir]
# STEPS=N trains N steps per task instead of the spec's epochs (a smoke run of the script).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study-continual}"
mkdir -p "$out"
./avdsl corpus >/dev/null
steps=()
[ -n "${STEPS:-}" ] && steps=(--steps "$STEPS")

methods=(Continual Er Der Lump Multitask)
for seed in 0 1 2; do
  for method in "${methods[@]}"; do
    run="$out/$method-seed$seed"
    if [ ! -f "$run/checkpoint-final.safetensors" ]; then
      rm -rf "$run" "$run.time"
      /usr/bin/time -v -o "$run.time" ./avdsl train specs/cav-mae-tiny-continual.avml --spec "CavMaeTiny${method}Seeds_TrainSeed$seed" \
        --run-dir "$run" --checkpoint-every never "${steps[@]}" | tail -1
      mv "$run.time" "$run/time.txt"
    fi
    [ -f "$run/eval/continual.json" ] || ./avdsl eval "$run" --continual --seed "$seed" | tail -1
  done
done

python3 - "$out" <<'PY'
import json, os, re, statistics, sys
out = sys.argv[1]
names = {"Continual": "Finetune", "Er": "ER", "Der": "DER++", "Lump": "LUMP", "Multitask": "Multitask (upper bound)"}
def cell(xs):
    xs = [x for x in xs if x is not None]
    return "–" if not xs else f"{statistics.mean(xs):5.1f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:4.1f}"
print("average and forgetting of R@1 / R@10 (%) over the four tasks' test splits; mean ± sample std over seeds 0, 1, 2")
print(f"| {'method':24} | a→v R@1 | a→v R@10 | v→a R@1 | v→a R@10 | a→v forgetting R@10 | v→a forgetting R@10 | peak RSS (MB) | summed step time (s) |")
print("|" + "|".join("-" * (w + 2) for w in (24, 7, 8, 7, 8, 19, 19, 13, 20)) + "|")
for method, label in names.items():
    reports, rss, wall = [], [], []
    for seed in (0, 1, 2):
        run = os.path.join(out, f"{method}-seed{seed}")
        reports.append(json.load(open(os.path.join(run, "eval", "continual.json"))))
        text = open(os.path.join(run, "time.txt")).read()
        rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024)
        wall.append(sum(json.loads(l)["step_ms"] for l in open(os.path.join(run, "metrics.jsonl"))) / 1000)
    def avg(direction, k):
        return cell([100 * r[direction]["average"][k] for r in reports])
    def forget(direction):
        return cell([100 * r[direction]["forgetting"]["r10"] if r[direction]["forgetting"] else None for r in reports])
    print(f"| {label:24} | {avg('first_to_second', 'r1'):7} | {avg('first_to_second', 'r10'):8} | {avg('second_to_first', 'r1'):7} | {avg('second_to_first', 'r10'):8}"
          f" | {forget('first_to_second'):19} | {forget('second_to_first'):19} | {cell(rss):13} | {cell(wall):20} |")
PY
