"""Data-parallel benchmark on this machine: EatTiny at a global batch of 8 (synthetic fbank), trained
  - by AvDsl in 1 process x 2 threads (`avdsl train`, AVDSL_THREADS=2) and in 2 processes x 1 thread (`--nproc 2`,
    Gloo on loopback; each rank's comm_ms in metrics.jsonl is the time it spent averaging gradients and the loss);
  - by PyTorch eager in 1 process x 2 threads (eat_step.py) and under DDP in 2 processes x 1 thread (eat_ddp_step.py;
    its communication is the median step minus the median no_sync() step, since DDP overlaps it with backward).
Rounds alternate between the sides. Prints the median step of each and the share of the step spent communicating,
and the all-reduce bytes per step `avdsl cost` predicts. Needs python3-torch (apt install python3-torch).
    python3 tests/Benchmarks/data_parallel.py --steps 30 --rounds 2"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SPEC = """import "{root}/specs/eat-tiny.avml"

spec EatTinyDataParallel extends EatTiny {{
  train {{
    batch: 8
    steps: {steps}
  }}
  data {{
    train: synthetic_spectrograms()
  }}
}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def avdsl(folder, spec, run, nproc, threads):
    env = dict(os.environ)
    env.pop("AVDSL_THREADS", None)
    if threads:
        env["AVDSL_THREADS"] = str(threads)
    command = [os.path.join(ROOT, "avdsl"), "train", spec, "--run-dir", os.path.join(folder, run)]
    if nproc > 1:
        command += ["--nproc", str(nproc)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(folder, run, "metrics.jsonl")) as f:
        lines = [json.loads(line) for line in f]
    return [l["step_ms"] for l in lines], [l.get("comm_ms", 0.0) for l in lines]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="avdsl-dp-")
    spec = os.path.join(folder, "dp.avml")
    with open(spec, "w") as f:
        f.write(SPEC.format(root=ROOT, steps=args.warmup + args.steps))
    cost = json.loads(subprocess.run([os.path.join(ROOT, "avdsl"), "cost", spec, "--json"], check=True, capture_output=True, text=True).stdout)[0]
    sides = {k: ([], []) for k in ("avdsl 1x2", "avdsl 2x1", "torch 1x2", "torch ddp 2x1")}
    no_sync = []
    for r in range(args.rounds):
        for key, nproc, threads in (("avdsl 1x2", 1, 2), ("avdsl 2x1", 2, None)):
            steps, comm = avdsl(folder, spec, f"{key.replace(' ', '-')}-{r}", nproc, threads)
            sides[key][0].extend(steps[args.warmup:])
            sides[key][1].extend(comm[args.warmup:])
        eager = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "eat_step.py"), "--threads", "2", "--batch", "8",
                                           "--steps", str(args.steps), "--warmup", str(args.warmup)], check=True, capture_output=True, text=True).stdout)
        sides["torch 1x2"][0].extend(eager["ms"])
        ddp = json.loads(subprocess.run([sys.executable, os.path.join(HERE, "eat_ddp_step.py"), "--batch", "8", "--steps", str(args.steps),
                                         "--warmup", str(args.warmup), "--rounds", "1", "--port", str(free_port())],
                                        check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        sides["torch ddp 2x1"][0].extend(ddp["ddp_ms"])
        no_sync.extend(ddp["no_sync_ms"])
    med = statistics.median
    sides["torch ddp 2x1"][1].extend([med(sides["torch ddp 2x1"][0]) - med(no_sync)])
    print(f"EatTiny, global batch 8 (4 clones), {args.rounds} alternating rounds of {args.steps} steps after {args.warmup} warm-up; "
          f"all-reduce predicted by `avdsl cost`: {cost['allReduceBytes'] / 2**20:.1f} MiB of gradients per step")
    print(f"{'side':<16}{'median step ms':>16}{'communication ms':>18}{'share':>8}")
    for key, (steps, comm) in sides.items():
        c = med(comm) if comm else 0.0
        print(f"{key:<16}{med(steps):>16.1f}{c:>18.1f}{c / med(steps):>8.1%}")
    print(f"torch ddp no_sync() median step {med(no_sync):.1f} ms")
    print(f"ratios: AvDsl 2x1 / 1x2 {med(sides['avdsl 2x1'][0]) / med(sides['avdsl 1x2'][0]):.2f}; "
          f"AvDsl 2x1 / PyTorch DDP 2x1 {med(sides['avdsl 2x1'][0]) / med(sides['torch ddp 2x1'][0]):.2f}; "
          f"AvDsl 1x2 / PyTorch eager 1x2 {med(sides['avdsl 1x2'][0]) / med(sides['torch 1x2'][0]):.2f}")


if __name__ == "__main__":
    main()
