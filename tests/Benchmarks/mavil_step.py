"""The PyTorch eager side of the MAViL-tiny training-step benchmark (METHODS.md section 2, specs/mavil.avml and
specs/mavil-tiny.avml), written from the method and the spec to do the arithmetic of the model the spec describes:
  audio: fbank [B, 256, 128] -> Conv2d 16x16/16 (1 -> 192) -> 16 x 8 = 128 tokens, + fixed 2-D sin-cos table (MAE's);
  video: frames [B, 3, 8, 64, 64] -> Conv3d tubelets 2x16x16 (3 -> 192) -> 4 x 4 x 4 = 64 tokens, time-major, + fixed
    3-D sin-cos table (3/4 of the channels the 2-D table of (row, column), the last 1/4 a 1-D table of the frame);
  MAE random masking per sample (uniform noise, argsort, keep int(N (1 - ratio))): audio 0.8, video 0.5 (MavilTiny's);
  per modality a CLS token and 4 pre-norm ViT blocks (dim 192, 3 heads, MLP x4, LayerNorm eps 1e-6, libtorch's fused
    SDPA) closed by a LayerNorm; a fusion encoder of 1 such block over [audio; video], CLS tokens included;
  per modality an MAE decoder: Linear 192 -> 128, a learned mask token for every hidden position, unshuffled, + the
    fixed sin-cos table of its grid, 2 pre-norm blocks (128, 4 heads) + LayerNorm, Linear to 256 (audio patch) or 1536
    (2x16x16x3 tubelet) values;
  losses: MSE on masked patches against per-patch normalised targets (norm_pix, unbiased variance, eps 1e-6), for
    audio and video; 0.01 x InfoNCE (cosine / 0.1, both directions averaged) between the mean-pooled audio and video
    encoder tokens (CLS dropped), and between each modality and a second, independently masked view of itself;
  backward, clip_grad_norm_ 4, AdamW (betas 0.9/0.95, wd 0.05 except biases and 1-D parameters), warm-up cosine lr.
Prints one JSON line: per-step times in milliseconds and the summed time per phase; with --check instead the number
of trained parameters, the loss terms on a fixed input (sin of the element index, as the AvDsl side builds it) and the
matrix-product FLOPs of one forward and one backward pass, counted from the shapes of the aten operators PyTorch
dispatches (mm, addmm, bmm, convolution, fused attention; a multiply-add is 2 FLOPs). With --serve it stays up,
prints {"ready": ...}, and answers each input line "<warmup> <steps>" with one JSON line; an empty line or EOF ends it.
    python3 mavil_step.py --threads 2 --steps 5 --warmup 2"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils._python_dispatch import TorchDispatchMode

DIM, HEADS, A_DEPTH, V_DEPTH, FUSION_DEPTH = 192, 3, 4, 4, 1
PATCH, A_GRID = 16, (16, 8)
TUBELET, V_GRID = (2, 16, 16), (4, 4, 4)
DEC_DIM, DEC_DEPTH, DEC_HEADS = 128, 2, 4
A_RATIO, V_RATIO, TAU, LAMBDA = 0.8, 0.5, 0.1, 0.01
AUDIO, VIDEO = (256, 128), (3, 8, 64, 64)
TOTAL_STEPS, FIRST_STEP, PEAK_LR, WARMUP, CLIP = 1000, 200, 5e-4, 0.1, 4.0


def sincos_2d(dim, rows, cols):
    """[rows*cols, dim], tokens row-major: the first half of the channels encodes the column, the second the row."""
    quarter = dim // 4
    omega = 1.0 / 10000.0 ** (torch.arange(quarter, dtype=torch.float64) / quarter)
    r, c = torch.meshgrid(torch.arange(rows, dtype=torch.float64), torch.arange(cols, dtype=torch.float64), indexing="ij")
    c, r = c.reshape(-1, 1) * omega, r.reshape(-1, 1) * omega
    return torch.cat([c.sin(), c.cos(), r.sin(), r.cos()], dim=1)


def sincos_3d(dim, frames, rows, cols):
    """[frames*rows*cols, dim], time-major: the 2-D table of (row, column) on 3/4 of the channels, the same for every
    frame, then [sin(t w), cos(t w)] of the frame index t with w_k = 10000^(-k / (D/8))."""
    spatial = sincos_2d(dim * 3 // 4, rows, cols)                        # [rows*cols, 3D/4]
    half = (dim - dim * 3 // 4) // 2
    omega = 1.0 / 10000.0 ** (torch.arange(half, dtype=torch.float64) / half)
    t = torch.arange(frames, dtype=torch.float64).reshape(-1, 1) * omega  # [frames, D/8]
    temporal = torch.cat([t.sin(), t.cos()], dim=1)                       # [frames, D/4]
    return torch.cat([spatial.unsqueeze(0).expand(frames, -1, -1),
                      temporal.unsqueeze(1).expand(-1, rows * cols, -1)], dim=2).reshape(frames * rows * cols, dim)


def linear(inputs, outputs):
    layer = nn.Linear(inputs, outputs)
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class Block(nn.Module):
    """Pre-norm ViT block: x + attn(norm1(x)), then + mlp(norm2(x))."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = linear(dim, 3 * dim)
        self.proj = linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = linear(dim, 4 * dim)
        self.fc2 = linear(4 * dim, dim)

    def attn(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        mixed = F._scaled_dot_product_attention(q, k, v)[0]  # the op AvDsl calls on libtorch 1.13
        return self.proj(mixed.transpose(1, 2).reshape(b, n, d))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Encoder(nn.Module):
    """Pre-norm blocks closed by a LayerNorm (ViT / MAE)."""

    def __init__(self, dim, depth, heads):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.norm(x)


class Cls(nn.Module):
    def __init__(self):
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, DIM))
        nn.init.normal_(self.token, std=0.02)

    def forward(self, x):                                               # [B, N, D] -> [B, 1+N, D]
        return torch.cat([self.token.expand(x.shape[0], 1, DIM), x], dim=1)


class Decoder(nn.Module):
    """MAE's decoder: visible tokens embedded, a mask token for every hidden one, unshuffled, + positions, blocks."""

    def __init__(self, positions, outputs):
        super().__init__()
        self.embed = linear(DIM, DEC_DIM)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, DEC_DIM))
        nn.init.normal_(self.mask_token, std=0.02)
        self.register_buffer("pos", positions.float().unsqueeze(0))
        self.transformer = Encoder(DEC_DIM, DEC_DEPTH, DEC_HEADS)
        self.pred = linear(DEC_DIM, outputs)

    def forward(self, visible, restore):                                 # [B, K, D], [B, N]
        x = self.embed(visible)
        b, k, _ = x.shape
        n = restore.shape[1]
        x = torch.cat([x, self.mask_token.expand(b, n - k, DEC_DIM)], dim=1)
        x = x.gather(1, restore.unsqueeze(-1).expand(-1, -1, DEC_DIM)) + self.pos
        return self.pred(self.transformer(x))                            # [B, N, outputs]


def random_mask(tokens, ratio):
    """MAE's per-sample masking: visible [B, K, D] (shuffled order), masked [B, N] bool, restore indices [B, N]."""
    b, n, d = tokens.shape
    keep = int(n * (1 - ratio))
    shuffle = torch.rand(b, n).argsort(1)
    restore = shuffle.argsort(1)
    visible = tokens.gather(1, shuffle[:, :keep].unsqueeze(-1).expand(-1, -1, d))
    return visible, restore >= keep, restore


def norm_pix(patches):
    mean = patches.mean(-1, keepdim=True)
    var = patches.var(-1, unbiased=True, keepdim=True)
    return (patches - mean) / (var + 1e-6).sqrt()


def patchify_audio(x):                                                   # [B, T, F] -> [B, N, 256]
    b, t, f = x.shape
    return norm_pix(x.reshape(b, t // PATCH, PATCH, f // PATCH, PATCH).permute(0, 1, 3, 2, 4).reshape(b, -1, PATCH * PATCH))


def patchify_video(x):                                                   # [B, C, T, H, W] -> [B, N, t*h*w*C]
    b, c, t, h, w = x.shape
    kt, kh, kw = TUBELET
    x = x.reshape(b, c, t // kt, kt, h // kh, kh, w // kw, kw).permute(0, 2, 4, 6, 3, 5, 7, 1)
    return norm_pix(x.reshape(b, -1, kt * kh * kw * c))


def info_nce(a, b):
    logits = F.normalize(a, dim=1) @ F.normalize(b, dim=1).t() / TAU
    positives = torch.arange(a.shape[0])
    return (F.cross_entropy(logits, positives) + F.cross_entropy(logits.t(), positives)) / 2


class MavilTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.a_patches = nn.Conv2d(1, DIM, PATCH, stride=PATCH)
        nn.init.xavier_uniform_(self.a_patches.weight.view(DIM, -1))
        self.register_buffer("a_pos", sincos_2d(DIM, *A_GRID).float().unsqueeze(0))
        self.a_cls, self.a_encoder = Cls(), Encoder(DIM, A_DEPTH, HEADS)
        self.v_patches = nn.Conv3d(3, DIM, TUBELET, stride=TUBELET)
        nn.init.xavier_uniform_(self.v_patches.weight.view(DIM, -1))
        self.register_buffer("v_pos", sincos_3d(DIM, *V_GRID).float().unsqueeze(0))
        self.v_cls, self.v_encoder = Cls(), Encoder(DIM, V_DEPTH, HEADS)
        self.fusion = Encoder(DIM, FUSION_DEPTH, HEADS)
        self.a_decoder = Decoder(sincos_2d(DEC_DIM, *A_GRID), PATCH * PATCH)
        self.v_decoder = Decoder(sincos_3d(DEC_DIM, *V_GRID), math.prod(TUBELET) * 3)


def losses(m, audio, video, clock):
    a_tokens = m.a_patches(audio.unsqueeze(1)).flatten(2).transpose(1, 2) + m.a_pos   # [B, 128, 192]
    v_tokens = m.v_patches(video).flatten(2).transpose(1, 2) + m.v_pos                 # [B, 64, 192]
    a_visible, a_masked, a_restore = random_mask(a_tokens, A_RATIO)
    v_visible, v_masked, v_restore = random_mask(v_tokens, V_RATIO)
    clock.lap("patch embed + mask")
    a_hidden = m.a_encoder(m.a_cls(a_visible))                                          # [B, 1+25, 192]
    clock.lap("audio encoder")
    v_hidden = m.v_encoder(m.v_cls(v_visible))                                          # [B, 1+6, 192]
    clock.lap("video encoder")
    fused = m.fusion(torch.cat([a_hidden, v_hidden], dim=1))
    a_part, v_part = fused[:, :a_hidden.shape[1]], fused[:, a_hidden.shape[1]:]
    clock.lap("fusion")
    a_pred = m.a_decoder(a_part[:, 1:], a_restore)                                      # [B, 128, 256]
    v_pred = m.v_decoder(v_part[:, 1:], v_restore)                                      # [B, 64, 1536]
    clock.lap("decoders")
    a_recon = F.mse_loss(a_pred[a_masked], patchify_audio(audio)[a_masked])
    v_recon = F.mse_loss(v_pred[v_masked], patchify_video(video)[v_masked])
    clock.lap("targets + reconstruction")
    a_other = m.a_encoder(m.a_cls(random_mask(a_tokens, A_RATIO)[0]))
    v_other = m.v_encoder(m.v_cls(random_mask(v_tokens, V_RATIO)[0]))
    clock.lap("second views")
    a_embed, v_embed = a_hidden[:, 1:].mean(1), v_hidden[:, 1:].mean(1)
    inter = LAMBDA * info_nce(a_embed, v_embed)
    a_intra = LAMBDA * info_nce(a_embed, a_other[:, 1:].mean(1))
    v_intra = LAMBDA * info_nce(v_embed, v_other[:, 1:].mean(1))
    clock.lap("contrastive")
    return {"a_recon": a_recon, "v_recon": v_recon, "inter": inter, "a_intra": a_intra, "v_intra": v_intra}


def learning_rate(step):
    warmup = TOTAL_STEPS * WARMUP
    if step < warmup:
        return PEAK_LR * step / warmup
    return PEAK_LR * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (TOTAL_STEPS - warmup)))


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


def train_step(model, optimizer, audio, video, step, clock):
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(step)
    terms = losses(model, audio, video, clock)
    total = sum(terms.values())
    optimizer.zero_grad(set_to_none=True)
    total.backward()
    clock.lap("backward")
    torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], CLIP)
    clock.lap("clip")
    optimizer.step()
    clock.lap("adamw")
    total.item()
    for term in terms.values():
        term.item()


class FlopCounter(TorchDispatchMode):
    """Matrix-product FLOPs of the aten operators dispatched while open, from their shapes (2 per multiply-add)."""

    def __init__(self):
        super().__init__()
        self.flops = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        if name in ("mm", "addmm", "bmm", "baddbmm"):
            a, b = (args[1], args[2]) if name in ("addmm", "baddbmm") else (args[0], args[1])
            self.flops += 2 * a.numel() * b.shape[-1]                          # [.., M, K] x [.., K, N]
        elif name == "convolution":
            weight = args[1]                                                   # [out, in / groups, *kernel]
            self.flops += 2 * out.numel() * weight[0].numel()
        elif name == "convolution_backward":
            grad_out, x, weight = args[0], args[1], args[2]
            mask = args[-1]                                                    # which of input, weight, bias grads
            per_product = 2 * grad_out.numel() * weight[0].numel()
            self.flops += per_product * (int(mask[0]) + int(mask[1]))
        elif name == "_scaled_dot_product_attention_forward" or name == "_scaled_dot_product_attention":
            q, k, v = args[0], args[1], args[2]                                # [B, H, Nq, d], [B, H, Nk, d], [B, H, Nk, dv]
            self.flops += 2 * q.numel() * k.shape[-2] + 2 * q[..., :1].numel() * k.shape[-2] * v.shape[-1]
        elif name == "_scaled_dot_product_attention_backward":
            raise NotImplementedError("fused attention backward: not counted")
        return out


def count_flops(model, audio, video):
    """(forward, backward) matrix-product FLOPs of one training step's loss on this batch."""
    with FlopCounter() as forward:
        terms = losses(model, audio, video, Clock())
    total = sum(terms.values())
    with FlopCounter() as backward:
        total.backward()
    model.zero_grad(set_to_none=True)
    return forward.flops, backward.flops


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = MavilTiny()
    trained = sum(p.numel() for p in model.parameters() if p.requires_grad)
    a_shape, v_shape = (args.batch, *AUDIO), (args.batch, *VIDEO)
    about = {"torch": torch.__version__, "threads": torch.get_num_threads(), "trained": trained}
    if args.check:
        audio = (torch.arange(math.prod(a_shape), dtype=torch.float32) * 0.37).sin().reshape(a_shape)
        video = (torch.arange(math.prod(v_shape), dtype=torch.float32) * 0.37).sin().reshape(v_shape)
        terms = {name: value.item() for name, value in losses(model, audio, video, Clock()).items()}
        forward, backward = count_flops(model, audio, video)
        print(json.dumps({**about, "terms": terms, "forward_flops": forward, "backward_flops": backward}))
        return
    optimizer = make_optimizer(model)
    audio, video = torch.randn(a_shape), torch.randn(v_shape)
    step = FIRST_STEP

    def steps(warmup, timed):
        nonlocal step
        times, clock = [], Clock()
        for i in range(warmup + timed):
            if i == warmup:
                clock = Clock()
            start = time.perf_counter()
            clock.start = start
            train_step(model, optimizer, audio, video, step, clock)
            step += 1
            if i >= warmup:
                times.append((time.perf_counter() - start) * 1000.0)
        return {**about, "ms": times, "phases": clock.phases}

    if not args.serve:
        print(json.dumps(steps(args.warmup, args.steps)))
        return
    print(json.dumps({"ready": True, **about}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        warmup, timed = (int(v) for v in line.split())
        print(json.dumps(steps(warmup, timed)), flush=True)


if __name__ == "__main__":
    main()
