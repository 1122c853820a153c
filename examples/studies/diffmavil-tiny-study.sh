#!/usr/bin/env bash
# The README's DiffMAViL study (issue 17): MAViL-tiny against DiffMAViL-tiny pre-trained on the same clips, side by side.
#  1. seeds 0, 1, 2 of MavilTiny and of DiffMavilTiny, interleaved (M0 D0 M1 D1 M2 D2) so that both see the machine in
#     the same state; each trains 10 epochs over the 784 training clips with its FLOPs counted per step
#     (--count-flops) under /usr/bin/time -v (peak RSS); each evaluated by audio linear probes and zero-shot retrieval
#     on both tasks;
#  2. the ablation: each of DiffMAViL's four changes turned off in turn (DiffMavilTinyAblation, seed 0), trained and
#     evaluated alike;
#  3. the cost model's whole-run FLOPs of every spec, and the tables: mean ± sample std over seeds, and the paired
#     difference DiffMAViL − MAViL per seed with its spread. About 50 minutes on 2 cores. Needs python3 for the tables.
#   bash examples/studies/diffmavil-tiny-study.sh [out-dir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-runs/study-diffmavil}"
mkdir -p "$out"
./avdsl corpus

evaluate() { # run-dir seed
  for task in keywords notes; do
    [ -f "$1/eval/$task-retrieval.json" ] || ./avdsl eval "$1" --task "$task" --retrieval --seed "$2" | tail -1
    [ -f "$1/eval/$task-linear.json" ] || ./avdsl eval "$1" --task "$task" --probe linear --seed "$2" | tail -1
  done
}

train() { # run-dir spec: skipped when finished; peak memory and elapsed time from /usr/bin/time in run-dir/time.txt
  local run="$1" spec="$2"
  [ -f "$run/checkpoint-final.safetensors" ] && return
  rm -rf "$run" "$run.time"
  /usr/bin/time -v -o "$run.time" ./avdsl train "$spec" --run-dir "$run" --checkpoint-every never --count-flops
  mv "$run.time" "$run/time.txt"
}

for seed in 0 1 2; do
  train "$out/mavil-seed$seed" "MavilTinySeeds_TrainSeed$seed"
  train "$out/diffmavil-seed$seed" "DiffMavilTinySeeds_TrainSeed$seed"
done
for seed in 0 1 2; do
  evaluate "$out/mavil-seed$seed" "$seed"
  evaluate "$out/diffmavil-seed$seed" "$seed"
done

ablation=(
  "mask-tokens DiffMavilTinyAblation_QueriesMaskToken"
  "joint-attention DiffMavilTinyAblation_QueriesNoised_VDecoderAttentionJoint"
  "fixed-ratios DiffMavilTinyAblation_QueriesNoised_VDecoderAttentionCross_AMaskRatioFrom0p8_AMaskRatioTo0p8_VMaskRatioFrom0p5_VMaskRatioTo0p5"
  "fixed-batch DiffMavilTinyAblation_QueriesNoised_VDecoderAttentionCross_AMaskRatioFrom0p7_AMaskRatioTo0p9_VMaskRatioFrom0p4_VMaskRatioTo0p6_TrainBatchMax16"
)
specs=(MavilTiny DiffMavilTiny)
for point in "${ablation[@]}"; do
  read -r name spec <<<"$point"
  train "$out/ablation-$name" "$spec"
  evaluate "$out/ablation-$name" 0
  specs+=("$spec")
done
./avdsl cost "${specs[@]}" --json > "$out/cost.json"

python3 - "$out" <<'PY'
import json, os, re, statistics, sys
out = sys.argv[1]
seeds = (0, 1, 2)
cost = {c["spec"]: c for c in json.load(open(os.path.join(out, "cost.json")))}

def evaluation(run, name):
    return json.load(open(os.path.join(out, run, "eval", name)))

def training(run):
    rows = [json.loads(l) for l in open(os.path.join(out, run, "metrics.jsonl"))]
    text = open(os.path.join(out, run, "time.txt")).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return {"steps": len(rows), "tflop": sum(r["flops"] for r in rows) / 1e12, "step_s": sum(r["step_ms"] for r in rows) / 1000,
            "rss_mb": rss, "batch": f"{rows[0]['batch']}→{rows[-1]['batch']}"}

def measures(run):
    t = training(run)
    m = {"counted TFLOP": t["tflop"], "summed step time (s)": t["step_s"], "peak RSS (MB)": t["rss_mb"]}
    for task in ("keywords", "notes"):
        m[f"{task} probe (%)"] = 100 * evaluation(run, f"{task}-linear.json")["accuracy"]
        for direction, key in (("a→v", "first_to_second"), ("v→a", "second_to_first")):
            r = evaluation(run, f"{task}-retrieval.json")[key]
            for k in ("r1", "r5", "r10"):
                m[f"{task} {direction} R@{k[1:]} (%)"] = 100 * r[k]
    return m

def cell(xs):
    return f"{statistics.mean(xs):8.2f} ± {statistics.stdev(xs):6.2f}"

mavil = [measures(f"mavil-seed{s}") for s in seeds]
diff = [measures(f"diffmavil-seed{s}") for s in seeds]
print("\nMAViL-tiny vs DiffMAViL-tiny, 10 epochs over the same 784 clips; mean ± sample std over seeds 0, 1, 2;")
print("difference = DiffMAViL − MAViL paired by seed (relative: of MAViL's mean)")
print(f"| {'measure':24} | {'MAViL-tiny':17} | {'DiffMAViL-tiny':17} | {'difference':17} | relative |")
print(f"|{'-' * 26}|{'-' * 19}|{'-' * 19}|{'-' * 19}|----------|")
for key in mavil[0]:
    a = [m[key] for m in mavil]
    b = [m[key] for m in diff]
    d = [y - x for x, y in zip(a, b)]
    rel = f"{100 * statistics.mean(d) / statistics.mean(a):+6.1f}%" if key.split(" ")[0] in ("counted", "summed", "peak") else ""
    print(f"| {key:24} | {cell(a)} | {cell(b)} | {cell(d)} | {rel:8} |")
print(f"cost model, whole run: MavilTiny {cost['MavilTiny']['runTrainingFlops'] / 1e12:.2f} TFLOP ({cost['MavilTiny']['runSteps']} steps),"
      f" DiffMavilTiny {cost['DiffMavilTiny']['runTrainingFlops'] / 1e12:.2f} TFLOP ({cost['DiffMavilTiny']['runSteps']} steps)")

print("\nablation, seed 0: each change turned off in turn (the full DiffMavilTiny and MavilTiny are seed 0 of the runs above)")
rows = [("MAViL-tiny (none of the four)", "MavilTiny", "mavil-seed0"), ("DiffMAViL-tiny (all four)", "DiffMavilTiny", "diffmavil-seed0")]
names = {"mask-tokens": "mask tokens instead of noised patches", "joint-attention": "joint attention in the video decoder",
         "fixed-ratios": "fixed ratios 0.8 / 0.5, no curriculum", "fixed-batch": "a fixed batch of 16"}
specs = [c["spec"] for c in json.load(open(os.path.join(out, "cost.json")))][2:]
for (key, label), spec in zip(names.items(), specs):
    rows.append((f"DiffMAViL-tiny with {label}", spec, f"ablation-{key}"))
print(f"| {'run':64} | steps | batch  | cost-model TFLOP | counted TFLOP | step time (s) | peak RSS (MB) | keywords probe | notes probe | notes a→v R@10 |")
print(f"|{'-' * 66}|-------|--------|------------------|---------------|---------------|---------------|----------------|-------------|----------------|")
for label, spec, run in rows:
    t = training(run)
    m = measures(run)
    print(f"| {label:64} | {t['steps']:5} | {t['batch']:6} | {cost[spec]['runTrainingFlops'] / 1e12:16.2f} | {t['tflop']:13.2f} | {t['step_s']:13.1f}"
          f" | {t['rss_mb']:13.0f} | {m['keywords probe (%)']:14.1f} | {m['notes probe (%)']:11.1f} | {m['notes a→v R@10 (%)']:14.1f} |")
PY
