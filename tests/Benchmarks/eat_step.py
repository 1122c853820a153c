"""The PyTorch eager side of the EAT-tiny training-step benchmark (METHODS.md section 1, spec EatTiny), written to do
the arithmetic AvDsl's Runtime components do:
  patch embedding Conv2d 16x16/16 (1 -> 192) on fbank [B, 256, 128] -> 16 x 8 = 128 tokens, + fixed 2-D sin-cos table;
  inverse block masking (keep 0.2, 3x3 blocks, adjust 0.07), 4 clones per clip, visible tokens first in grid order;
  CLS token, 6 post-norm blocks (dim 192, 3 heads, MLP x4, LayerNorm eps 1e-6, libtorch's fused SDPA);
  CNN decoder: visible tokens scattered onto N(0, 0.01^2) noise, 6 x [Conv2d 3x3 groups 16 -> LayerNorm (no affine,
  eps 1e-5) -> GELU] + residual, Linear 192 -> 192;
  EMA teacher (patches, CLS, encoder) run once per clip: per-block FFN outputs before the residual add, CLS dropped,
  instance-normalised over tokens, averaged, LayerNorm without affine; repeated per clone;
  UFO loss: frame = squared error summed over features, averaged over masked patches, / sqrt(192); utterance =
  squared error of the student's CLS vs the mean-pooled target summed over clip-clones and features, / sqrt(192);
  backward, clip_grad_norm_ 4, AdamW (betas 0.9/0.95, wd 0.05 except biases and 1-D parameters), EMA lerp.
Prints one JSON line: per-step times in milliseconds and the summed time per phase, or with --check the parameter
counts and the loss terms on a fixed input (sin of the element index, as the AvDsl side builds it). With --serve it
stays up, prints {"ready": ...}, and answers each input line "<warmup> <steps>" with one such JSON line (the benchmark
program alternates with it step batch by step batch without restarting Python); an empty line or EOF ends it.
    python3 eat_step.py --threads 2 --steps 10 --warmup 3"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

DIM, DEPTH, HEADS, PATCH, GRID, CLONES = 192, 6, 3, 16, (16, 8), 4
KEEP, BLOCK, ADJUST, NOISE = 0.2, 3, 0.07, 0.01
DECODER_LAYERS, DECODER_GROUPS = 6, 16
TOTAL_STEPS, FIRST_STEP, PEAK_LR, CLIP = 1000, 200, 1e-3, 4.0


def sincos_2d(dim, rows, cols):
    """[1, rows*cols, dim]: first half of the channels encodes the column, second half the row (MAE's table)."""
    quarter = dim // 4
    omega = 1.0 / 10000.0 ** (torch.arange(quarter, dtype=torch.float64) / quarter)
    r, c = torch.meshgrid(torch.arange(rows, dtype=torch.float64), torch.arange(cols, dtype=torch.float64), indexing="ij")
    c, r = c.reshape(-1, 1) * omega, r.reshape(-1, 1) * omega
    return torch.cat([c.sin(), c.cos(), r.sin(), r.cos()], dim=1).float().unsqueeze(0)


class PatchEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv2d(1, DIM, PATCH, stride=PATCH)
        nn.init.xavier_uniform_(self.proj.weight.view(DIM, -1))

    def forward(self, x):                                   # [B, T, F]
        return self.proj(x.unsqueeze(1)).flatten(2).transpose(1, 2)  # [B, N, D]


class ClsToken(nn.Module):
    def __init__(self):
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, DIM))
        nn.init.normal_(self.token, std=0.02)

    def forward(self, x):                                   # [B, N, D] -> [B, N+1, D]
        return torch.cat([self.token.expand(x.shape[0], 1, DIM), x], dim=1)


def linear(inputs, outputs):
    layer = nn.Linear(inputs, outputs)
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class Block(nn.Module):
    """Post-norm: h = norm1(x + attn(x)); ffn = mlp(h); y = norm2(h + ffn)."""

    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(DIM, eps=1e-6)
        self.qkv = linear(DIM, 3 * DIM)
        self.proj = linear(DIM, DIM)
        self.norm2 = nn.LayerNorm(DIM, eps=1e-6)
        self.fc1 = linear(DIM, 4 * DIM)
        self.fc2 = linear(4 * DIM, DIM)

    def attn(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, HEADS, d // HEADS).permute(2, 0, 3, 1, 4)
        mixed = F._scaled_dot_product_attention(q, k, v)[0]  # the op AvDsl calls on libtorch 1.13
        return self.proj(mixed.transpose(1, 2).reshape(b, n, d))

    def forward(self, x):
        h = self.norm1(x + self.attn(x))
        ffn = self.fc2(F.gelu(self.fc1(h)))
        return self.norm2(h + ffn), ffn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(DEPTH)])

    def forward(self, x):
        ffns = []
        for block in self.blocks:
            x, ffn = block(x)
            ffns.append(ffn)
        return x, ffns


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(DIM, DIM, 3, padding=1, groups=DECODER_GROUPS) for _ in range(DECODER_LAYERS)])
        self.proj = linear(DIM, DIM)

    def forward(self, visible, keep_indices):               # [C, K, D], [C, K]
        c = visible.shape[0]
        fill = torch.randn(c, GRID[0] * GRID[1], DIM) * NOISE
        x = fill.scatter(1, keep_indices.unsqueeze(-1).expand(-1, -1, DIM), visible)  # [C, N, D]
        h = x.transpose(1, 2).reshape(c, DIM, GRID[0], GRID[1])
        for conv in self.convs:
            y = F.layer_norm(conv(h).permute(0, 2, 3, 1), (DIM,)).permute(0, 3, 1, 2)
            h = F.gelu(y) + h
        return self.proj(h.reshape(c, DIM, -1).transpose(1, 2))  # [C, N, D]


def inverse_block_mask(batch):
    """Bool [batch, N], True = visible: blocks around random centres, then exactly int(N * KEEP) visible (data2vec 2.0's
    compute_block_mask_2d with inverse_mask, its adjustment done per row as there)."""
    rows, cols = GRID
    cells = rows * cols
    keep = int(cells * KEEP)
    centres = int(cells * (KEEP + ADJUST) / BLOCK ** 2)
    drawn = torch.randint(0, cells, (batch, centres))
    offsets = torch.arange(BLOCK) - BLOCK // 2
    r = (drawn // cols).unsqueeze(-1).unsqueeze(-1) + offsets.view(1, 1, -1, 1)
    c = (drawn % cols).unsqueeze(-1).unsqueeze(-1) + offsets.view(1, 1, 1, -1)
    cells_hit = (r.clamp(0, rows - 1) * cols + c.clamp(0, cols - 1)).reshape(batch, -1)
    visible = torch.zeros(batch, cells, dtype=torch.bool).scatter_(1, cells_hit, True)
    for row in visible:
        count = int(row.sum())
        if count != keep:
            candidates = (row == (count > keep)).nonzero().squeeze(1)
            row[candidates[torch.randperm(len(candidates))[:abs(count - keep)]]] = count < keep
    return visible


class EatTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.patches, self.cls, self.encoder = PatchEmbed(), ClsToken(), Encoder()
        self.decoder = Decoder()
        self.register_buffer("pos", sincos_2d(DIM, *GRID))
        self.teacher = nn.ModuleDict({"patches": PatchEmbed(), "cls": ClsToken(), "encoder": Encoder()})
        self.teacher.load_state_dict({**{f"patches.{k}": v for k, v in self.patches.state_dict().items()},
                                      **{f"cls.{k}": v for k, v in self.cls.state_dict().items()},
                                      **{f"encoder.{k}": v for k, v in self.encoder.state_dict().items()}})
        for p in self.teacher.parameters():
            p.requires_grad_(False)
        self.ema_pairs = [(t, s) for student, name in ((self.patches, "patches"), (self.cls, "cls"), (self.encoder, "encoder"))
                          for t, s in zip(self.teacher[name].state_dict().values(), student.state_dict().values())]

    def masked_view(self, tokens):
        b, n, d = tokens.shape
        keep = int(n * KEEP)
        visible = inverse_block_mask(b * CLONES)
        order = torch.sort((~visible).to(torch.uint8), dim=1, stable=True)[1]  # visible first, each part in grid order
        restore = order.argsort(1)
        keep_indices = order[:, :keep]
        view = tokens.repeat_interleave(CLONES, 0).gather(1, keep_indices.unsqueeze(-1).expand(-1, -1, d))
        return view, restore >= keep, keep_indices

    def teacher_targets(self, audio):
        _, ffns = self.teacher["encoder"](self.teacher["cls"](self.teacher["patches"](audio) + self.pos))
        total = None
        for ffn in ffns:
            y = F.instance_norm(ffn[:, 1:].transpose(1, 2), eps=1e-5).transpose(1, 2)
            total = y if total is None else total + y
        return F.layer_norm(total / len(ffns), (DIM,), eps=1e-5)  # [B, N, D]

    def ema_step(self, decay):
        with torch.no_grad():
            for t, s in self.ema_pairs:
                t.lerp_(s, 1.0 - decay)


def learning_rate(step):
    warmup = TOTAL_STEPS * 0.1
    if step < warmup:
        return PEAK_LR * step / warmup
    return PEAK_LR * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (TOTAL_STEPS - warmup)))


def ema_decay(step):
    return 0.99 + (0.999 - 0.99) * min(1.0, step / (TOTAL_STEPS * 0.5))


def make_optimizer(model):
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = lambda n, p: p.ndim <= 1 or n.endswith(".bias")
    return torch.optim.AdamW([{"params": [p for n, p in trained if not no_decay(n, p)], "weight_decay": 0.05},
                              {"params": [p for n, p in trained if no_decay(n, p)], "weight_decay": 0.0}],
                             lr=PEAK_LR, betas=(0.9, 0.95), eps=1e-8)


class Clock:
    def __init__(self):
        self.phases, self.start = {}, time.perf_counter()

    def lap(self, phase):
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + (now - self.start) * 1000.0
        self.start = now


def losses(model, audio, clock):
    tokens = model.patches(audio) + model.pos
    view, masked, keep_indices = model.masked_view(tokens)
    clock.lap("patch embed + mask")
    student = model.encoder(model.cls(view))[0]                      # [C, 1+K, D]
    clock.lap("student encoder")
    pred = model.decoder(student[:, 1:], keep_indices)               # [C, N, D]
    clock.lap("decoder")
    target = model.teacher_targets(audio)                            # [B, N, D]
    clock.lap("teacher + targets")
    frames = target.repeat_interleave(CLONES, 0)
    clip = target.mean(1).repeat_interleave(CLONES, 0)
    frame = (pred[masked] - frames[masked]).square().sum(-1).mean() / math.sqrt(DIM)
    utterance = (student[:, 0] - clip).square().sum() / math.sqrt(DIM)
    clock.lap("loss")
    return frame, utterance


def train_step(model, optimizer, audio, step, clock):
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(step)
    frame, utterance = losses(model, audio, clock)
    total = frame + utterance
    optimizer.zero_grad(set_to_none=True)
    total.backward()
    clock.lap("backward")
    torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], CLIP)
    clock.lap("clip")
    optimizer.step()
    clock.lap("adamw")
    model.ema_step(ema_decay(step))
    clock.lap("ema")
    total.item(), frame.item(), utterance.item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = EatTiny()
    shape = (args.batch, 256, 128)                                   # fbank [B, frames, mel]
    if args.check:
        audio = (torch.arange(math.prod(shape), dtype=torch.float32) * 0.37).sin().reshape(shape)
        frame, utterance = losses(model, audio, Clock())
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                          "trained": sum(p.numel() for p in model.parameters() if p.requires_grad),
                          "teacher": sum(p.numel() for p in model.teacher.parameters()),
                          "frame": frame.item(), "utterance": utterance.item()}))
        return
    optimizer = make_optimizer(model)
    audio = torch.randn(shape)
    step = FIRST_STEP

    def steps(warmup, timed):
        nonlocal step
        times, clock = [], Clock()
        for i in range(warmup + timed):
            if i == warmup:
                clock = Clock()
            start = time.perf_counter()
            clock.start = start
            train_step(model, optimizer, audio, step, clock)
            step += 1
            if i >= warmup:
                times.append((time.perf_counter() - start) * 1000.0)
        return {"torch": torch.__version__, "threads": torch.get_num_threads(), "ms": times, "phases": clock.phases}

    if not args.serve:
        print(json.dumps(steps(args.warmup, args.steps)))
        return
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        warmup, timed = (int(v) for v in line.split())
        print(json.dumps(steps(warmup, timed)), flush=True)

if __name__ == "__main__":
    main()
