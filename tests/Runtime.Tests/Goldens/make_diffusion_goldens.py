"""Makes the golden files for DiffMAE's / DiffMAViL's components (run with Debian's python3-torch 1.13.1, the libtorch
AvDsl binds):
    /usr/bin/python3 tests/Runtime.Tests/Goldens/make_diffusion_goldens.py [output directory]
Each file holds the inputs, the parameters under AvDsl's state-dict keys, the outputs, and the gradients of
sum(output * probe) ("grad.<name>"). The references are written with plain PyTorch after the code the methods build on,
independent of the C# implementation:
  - noise schedules: improved DDPM's get_named_beta_schedule ("linear": DDPM's betas, rescaled by 1000 / T, which is 1
    at the T = 1000 used here; "cosine": betas_for_alpha_bar with s = 0.008 and max_beta 0.999) and
    alphas_cumprod = cumprod(1 - betas), in float64;
  - forward process: after torch.manual_seed, t = torch.randint(0, T, (B,)) then eps = torch.randn_like(x0) (the order
    AvDsl documents), x_t = sqrt(alphas_cumprod[t]) x0 + sqrt(1 - alphas_cumprod[t]) eps (q_sample);
  - timestep embedding: DiT's TimestepEmbedder (ADM's timestep_embedding, [cos, sin], max period 10000, 256
    frequencies, then Linear, SiLU, Linear); the sinusoid is taken in float64 as AvDsl does (in float32 the phase of
    t near 1000 is off by about 1e-4);
  - decoders with noised queries: the embedded visible tokens put back in place with MAE's ids_restore, the masked
    positions replaced (torch.where on the mask) by Linear(x_t), + positions + the timestep embedding; "joint" runs
    timm pre-norm blocks with explicit attention over all N tokens, then LayerNorm and the head; "cross" runs every
    position as a query through cross-attention blocks against the visible tokens (+ their positions and the timestep
    embedding) — the queries do not interact, so decoding all of them and keeping the masked ones is the same as
    decoding the masked ones — then LayerNorm, the head, and the clean patches kept where nothing was masked."""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "Scripts"))
import safetensors_io  # noqa: E402
from make_goldens import Block, attention  # noqa: E402
from make_mavil_goldens import sincos_2d, sincos_3d  # noqa: E402


def betas_for_alpha_bar(num_diffusion_timesteps, alpha_bar, max_beta=0.999):
    betas = []
    for i in range(num_diffusion_timesteps):
        t1 = i / num_diffusion_timesteps
        t2 = (i + 1) / num_diffusion_timesteps
        betas.append(min(1 - alpha_bar(t2) / alpha_bar(t1), max_beta))
    return np.array(betas)


def get_named_beta_schedule(schedule_name, num_diffusion_timesteps):
    if schedule_name == "linear":
        scale = 1000 / num_diffusion_timesteps
        return np.linspace(scale * 0.0001, scale * 0.02, num_diffusion_timesteps, dtype=np.float64)
    if schedule_name == "cosine":
        return betas_for_alpha_bar(num_diffusion_timesteps, lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2)
    raise NotImplementedError(schedule_name)


def alphas_cumprod(name, timesteps):
    return torch.from_numpy(np.cumprod(1.0 - get_named_beta_schedule(name, timesteps), axis=0))


def noise_golden(path):
    timesteps, seed = 1000, 1234
    schedules = {name: alphas_cumprod(name, timesteps) for name in ("linear", "cosine")}
    x0 = torch.randn(3, 5, 4)
    torch.manual_seed(seed)
    t = torch.randint(0, timesteps, (x0.shape[0],))
    eps = torch.randn_like(x0)
    ab = schedules["cosine"][t].reshape(-1, 1, 1)
    x_t = (ab.sqrt() * x0.double() + (1 - ab).sqrt() * eps.double()).float()
    safetensors_io.write(path, {"alpha_bar.linear": schedules["linear"], "alpha_bar.cosine": schedules["cosine"],
                                "clean": x0, "timestep": t, "noise": eps, "noised": x_t},
                         {"torch": torch.__version__, "timesteps": timesteps, "seed": seed, "schedule": "cosine"})


def timestep_embedding(t, dim, max_period=10000):
    """ADM's timestep_embedding, in float64, returned as float32."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(start=0, end=half, dtype=torch.float64) / half)
    args = t[:, None].double() * freqs[None]
    embedding = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    if dim % 2:
        embedding = torch.cat([embedding, torch.zeros_like(embedding[:, :1])], dim=-1)
    return embedding.float()


class TimestepEmbedder(nn.Module):
    """DiT's TimestepEmbedder."""

    def __init__(self, hidden_size, frequency_embedding_size=256):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(frequency_embedding_size, hidden_size, bias=True), nn.SiLU(),
                                 nn.Linear(hidden_size, hidden_size, bias=True))
        self.frequency_embedding_size = frequency_embedding_size

    def forward(self, t):
        return self.mlp(timestep_embedding(t, self.frequency_embedding_size))

    def avdsl_state(self):
        return {"fc1.weight": self.mlp[0].weight, "fc1.bias": self.mlp[0].bias,
                "fc2.weight": self.mlp[2].weight, "fc2.bias": self.mlp[2].bias}


def timestep_embedding_golden(path):
    t = torch.tensor([0, 1, 17, 500, 998, 999])
    embedder = TimestepEmbedder(24)
    y = embedder(t)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {"timestep": t, "sinusoid": timestep_embedding(t, 256), "sinusoid.odd": timestep_embedding(t, 7),
               "output": y, "probe": probe}
    for key, p in embedder.avdsl_state().items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "dim": 24, "frequencies": 256, "odd": 7})


class CrossBlock(nn.Module):
    """Pre-norm cross-attention block: x + attn(norm1(x), norm_context(ctx)), then + mlp(norm2(x)); eps 1e-6."""

    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.norm_context = nn.LayerNorm(dim, eps=1e-6)
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, dim * mlp)
        self.fc2 = nn.Linear(dim * mlp, dim)

    def forward(self, x, ctx):
        b, n, d = x.shape
        k = ctx.shape[1]
        q = self.q(self.norm1(x)).reshape(b, n, self.heads, d // self.heads).transpose(1, 2)
        kv = self.kv(self.norm_context(ctx)).reshape(b, k, 2, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        x = x + self.proj(attention(q, kv[0], kv[1]).transpose(1, 2).reshape(b, n, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))

    def avdsl_state(self):
        names = {"norm1": "norm1", "norm_context": "norm_context", "q": "attn.q", "kv": "attn.kv", "proj": "attn.proj",
                 "norm2": "norm2", "fc1": "mlp.fc1", "fc2": "mlp.fc2"}
        return {f"{names[k.split('.')[0]]}.{k.split('.')[1]}": v for k, v in self.named_parameters()}


class NoisedDecoder(nn.Module):
    """DiffMAE's decoder with noised queries and a timestep embedding; joint or cross attention."""

    def __init__(self, inputs, dim, depth, heads, patch, table, cross):
        super().__init__()
        self.cross = cross
        self.embed = nn.Linear(inputs, dim)
        self.noised_embed = nn.Linear(patch, dim)
        self.time_embed = TimestepEmbedder(dim)
        block = (lambda: CrossBlock(dim, heads, mlp=4)) if cross else (lambda: Block(dim, heads, mlp=4, pre=True))
        self.blocks = nn.ModuleList([block() for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pred = nn.Linear(dim, patch)
        self.register_buffer("pos", table.float().unsqueeze(0))
        with torch.no_grad():  # non-trivial norm parameters so their gradients are not symmetric
            for norm in [m for m in self.modules() if isinstance(m, nn.LayerNorm)]:
                norm.weight.add_(0.1 * torch.randn_like(norm.weight))
                norm.bias.add_(0.1 * torch.randn_like(norm.bias))

    def forward(self, x, keep, ids_restore, mask, x_t, t, clean):
        b, n = ids_restore.shape
        x = self.embed(x)                                                          # [B, K, D]
        temb = self.time_embed(t)[:, None, :]                                      # [B, 1, D]
        noised = self.noised_embed(x_t)                                            # [B, N, D], read where masked
        if not self.cross:
            placed = torch.cat([x, x.new_zeros(b, n - x.shape[1], x.shape[2])], dim=1)
            placed = torch.gather(placed, 1, ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))
            h = torch.where(mask[..., None], noised, placed) + self.pos + temb
            for block in self.blocks:
                h = block(h)
            return self.pred(self.norm(h))
        pos = self.pos.expand(b, -1, -1)
        ctx = x + torch.gather(pos, 1, keep.unsqueeze(-1).repeat(1, 1, pos.shape[2])) + temb
        h = noised + pos + temb                                                    # every position a query
        for block in self.blocks:
            h = block(h, ctx)
        return torch.where(mask[..., None], self.pred(self.norm(h)), clean)

    def avdsl_state(self):
        state = {"embed.weight": self.embed.weight, "embed.bias": self.embed.bias,
                 "noised_embed.weight": self.noised_embed.weight, "noised_embed.bias": self.noised_embed.bias}
        state.update({f"time_embed.{k}": v for k, v in self.time_embed.avdsl_state().items()})
        prefix = "blocks" if self.cross else "transformer.blocks"
        for i, block in enumerate(self.blocks):
            state.update({f"{prefix}.{i}.{k}": v for k, v in block.avdsl_state().items()})
        norm = "norm" if self.cross else "transformer.norm"
        state.update({f"{norm}.weight": self.norm.weight, f"{norm}.bias": self.norm.bias,
                      "pred.weight": self.pred.weight, "pred.bias": self.pred.bias})
        return state


def decoder_golden(path, table, kept, patch, cross, meta):
    batch, tokens, inputs = 2, table.shape[0], 12
    decoder = NoisedDecoder(inputs=inputs, dim=16, depth=2, heads=2, patch=patch, table=table, cross=cross)
    shuffle = torch.stack([torch.randperm(tokens) for _ in range(batch)])  # kept positions first
    restore = shuffle.argsort(1)
    keep, masked = shuffle[:, :kept], restore >= kept
    context = torch.randn(batch, kept, inputs, requires_grad=True)
    clean = torch.randn(batch, tokens, patch, requires_grad=True)
    noised = torch.randn(batch, tokens, patch, requires_grad=True)
    t = torch.tensor([999, 37])
    y = decoder(context, keep, restore, masked, noised, t, clean)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {"context": context, "keep_indices": keep, "restore_indices": restore, "masked": masked, "clean": clean,
               "noised": noised, "timestep": t, "table": decoder.pos, "output": y, "probe": probe,
               "grad.context": context.grad, "grad.noised": noised.grad,
               "grad.clean": clean.grad if clean.grad is not None else torch.zeros_like(clean)}
    for key, p in decoder.avdsl_state().items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, dict({"torch": torch.__version__, "inputs": inputs, "dim": 16, "depth": 2, "heads": 2,
                                              "outputs": patch, "kept": kept, "attention": "cross" if cross else "joint"}, **meta))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    torch.manual_seed(20261217)
    noise_golden(os.path.join(out, "diffusion_noise.safetensors"))
    torch.manual_seed(20261218)
    timestep_embedding_golden(os.path.join(out, "timestep_embedding.safetensors"))
    decoder_golden(os.path.join(out, "diffusion_decoder_joint_2d.safetensors"), sincos_2d(16, 3, 4), kept=4, patch=6,
                   cross=False, meta={"grid": "3,4"})
    decoder_golden(os.path.join(out, "diffusion_decoder_cross_3d.safetensors"), sincos_3d(16, 2, 2, 3), kept=3, patch=8,
                   cross=True, meta={"grid": "2,2,3"})


if __name__ == "__main__":
    main()
