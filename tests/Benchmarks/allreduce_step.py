"""One rank of the all-reduce benchmark's PyTorch side (AllReduceBenchmark.cs): the same buckets of gradients, each
flattened, all_reduce'd (SUM) over gloo, divided by the world size and copied back, as DDP reduces a bucket.
   python3 allreduce_step.py RANK PORT STEPS WARMUP BUCKETS.json"""
import json, sys, time
import torch
import torch.distributed as dist

rank, port, steps, warmup = (int(a) for a in sys.argv[1:5])
buckets = json.load(open(sys.argv[5]))
torch.set_num_threads(1)
store = dist.TCPStore("127.0.0.1", port, 2, rank == 0)
dist.init_process_group("gloo", store=store, rank=rank, world_size=2)
grads = [[torch.randn(shape) for shape in bucket] for bucket in buckets]
times = []
with torch.no_grad():
    for step in range(warmup + steps):
        dist.barrier()
        start = time.perf_counter()
        for bucket in grads:
            flat = torch.cat([g.reshape(-1) for g in bucket])
            dist.all_reduce(flat)
            flat.div_(2)
            offset = 0
            for g in bucket:
                g.copy_(flat[offset:offset + g.numel()].view_as(g))
                offset += g.numel()
        if step >= warmup:
            times.append((time.perf_counter() - start) * 1000)
if rank == 0:
    print(json.dumps({"ms": times}))
dist.destroy_process_group()
