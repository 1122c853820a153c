"""The PyTorch DDP side of the data-parallel benchmark: eat_step.py's independently written EAT-tiny step, wrapped in
torch.nn.parallel.DistributedDataParallel (gloo, 2 processes on loopback, 1 thread each, 25 MiB buckets reduced while
backward runs), each rank on half of the global batch. Alternates rounds of synchronised steps with rounds under
no_sync() (the same step without the all-reduce); the difference of their medians is the communication a step pays.
Prints one JSON line from rank 0: {"ddp_ms": [...], "no_sync_ms": [...]}.
    python3 eat_ddp_step.py --batch 8 --steps 20 --warmup 3 --rounds 2 --port 29533"""
import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eat_step  # noqa: E402


class Step(nn.Module):
    """DDP reduces the gradients of what its forward ran: the step's losses."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, audio):
        return eat_step.losses(self.model, audio, eat_step.Clock())


def worker(rank, args):
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(args.port)
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    torch.manual_seed(0)
    model = eat_step.EatTiny()
    ddp = nn.parallel.DistributedDataParallel(Step(model), broadcast_buffers=False)
    optimizer = eat_step.make_optimizer(model)
    audio = torch.randn(args.batch // 2, 256, 128)
    step = eat_step.FIRST_STEP

    def one(sync):
        nonlocal step
        dist.barrier()
        start = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = eat_step.learning_rate(step)
        if sync:
            frame, utterance = ddp(audio)
            total = frame + utterance
            optimizer.zero_grad(set_to_none=True)
            total.backward()
        else:
            with ddp.no_sync():
                frame, utterance = ddp(audio)
                total = frame + utterance
                optimizer.zero_grad(set_to_none=True)
                total.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], eat_step.CLIP)
        optimizer.step()
        model.ema_step(eat_step.ema_decay(step))
        total.item()
        step += 1
        return (time.perf_counter() - start) * 1000.0

    times = {"ddp_ms": [], "no_sync_ms": []}
    for _ in range(args.rounds):
        for key, sync in (("ddp_ms", True), ("no_sync_ms", False)):
            for i in range(args.warmup + args.steps):
                ms = one(sync)
                if i >= args.warmup:
                    times[key].append(ms)
    if rank == 0:
        print(json.dumps({"torch": torch.__version__, **times}), flush=True)
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    mp.spawn(worker, args=(args,), nprocs=2)


if __name__ == "__main__":
    main()
