"""The PyTorch eager side of the ViT training-step benchmark: the same encoder as AvDsl's Transformer
(pre-norm timm blocks, LayerNorm eps 1e-6, qkv with bias, GELU MLP x4, final LayerNorm), MSE loss against a
random target, AdamW (betas 0.9/0.95, wd 0.05 on weights only). Attention is written as timm does for
PyTorch 1.x (q @ k^T * scale, softmax, @ v). Prints one JSON line with per-step times in milliseconds and the
minor page faults of the timed steps.
    python3 vit_step.py --threads 2 --steps 20 --warmup 5"""
import argparse
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // self.heads))
        x = attn.softmax(-1) @ v
        return self.proj(x.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.fc2 = nn.Linear(4 * dim, dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Encoder(nn.Module):
    def __init__(self, dim, depth, heads):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.norm(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--dim", type=int, default=192)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--heads", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=129)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Encoder(args.dim, args.depth, args.heads)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and not n.endswith(".bias")]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim > 1 and not n.endswith(".bias"))]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=1e-4, betas=(0.9, 0.95))
    x = torch.randn(args.batch, args.tokens, args.dim)
    target = torch.randn(args.batch, args.tokens, args.dim)
    times = []
    faults = 0
    for step in range(args.warmup + args.steps):
        faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x), target)
        loss.backward()
        optimizer.step()
        loss.item()
        elapsed = (time.perf_counter() - start) * 1000.0
        if step >= args.warmup:
            times.append(elapsed)
            faults += resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "ms": times, "minor_faults": faults}))


if __name__ == "__main__":
    main()
