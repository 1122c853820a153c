"""Makes the golden files for MAViL's components (run with Debian's python3-torch 1.13.1, the libtorch AvDsl binds):
    /usr/bin/python3 tests/Runtime.Tests/Goldens/make_mavil_goldens.py [output directory]
Each file holds the inputs, the parameters under AvDsl's state-dict keys, the outputs, and the gradients of
sum(output * probe) ("grad.<name>"). The references are written with plain PyTorch after the code the methods build on,
independent of the C# implementation:
  - positions: MAE's get_2d_sincos_pos_embed (the first half of the channels from the column index, as its
    np.meshgrid(w, h) gives; Audio-MAE's non-square grid), and for video the 3-D table AvDsl documents (SinCos3d): the
    2-D table on 3/4 of the channels, MAE's 1-D table of the frame index on the last 1/4;
  - tubelet embedding: MAE-ST's PatchEmbed (Conv3d, stride = kernel, then flatten(2).transpose(1, 2));
  - reconstruction targets: MAE's / Audio-MAE's patchify (einsum 'nchpwq->nhwpqc') and MAE-ST's 3-D patchify
    (einsum 'nctuhpwq->nthwupqc'), with norm_pix_loss's standardisation (x - mean) / sqrt(var + 1e-6);
  - decoders: MAE's forward_decoder (embed, mask tokens appended, unshuffled with ids_restore, + positions, pre-norm
    blocks with explicit attention, LayerNorm, prediction), on a 2-D and a 3-D grid;
  - InfoNCE: cosine similarities / temperature, -mean(diag(log_softmax)) over rows (each a among the b's), over
    columns (each b among the a's) and their mean (CAV-MAE's contrastive loss, both directions)."""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "Scripts"))
import safetensors_io  # noqa: E402
from make_goldens import Block  # noqa: E402


def sincos_1d(dim, positions):
    """MAE's get_1d_sincos_pos_embed_from_grid: [len(positions), dim], sin then cos, w_k = 10000^(-k / (dim/2))."""
    omega = 1.0 / 10000 ** (torch.arange(dim // 2, dtype=torch.float64) / (dim / 2.0))
    out = positions.reshape(-1).to(torch.float64)[:, None] * omega[None, :]
    return torch.cat([out.sin(), out.cos()], dim=1)


def sincos_2d(dim, rows, cols):
    """MAE's get_2d_sincos_pos_embed for a rows x cols grid, tokens row-major: grid = meshgrid(w, h)."""
    grid_w, grid_h = torch.meshgrid(torch.arange(cols, dtype=torch.float64), torch.arange(rows, dtype=torch.float64), indexing="xy")
    return torch.cat([sincos_1d(dim // 2, grid_w), sincos_1d(dim // 2, grid_h)], dim=1)  # [rows*cols, dim]


def sincos_3d(dim, frames, rows, cols):
    spatial = sincos_2d(dim * 3 // 4, rows, cols)                       # [rows*cols, 3D/4]
    temporal = sincos_1d(dim // 4, torch.arange(frames))                # [frames, D/4]
    return torch.cat([spatial.repeat(frames, 1), temporal.repeat_interleave(rows * cols, dim=0)], dim=1)


def positions_golden(path):
    tensors = {"sincos_2d": sincos_2d(16, 3, 5).float(), "sincos_3d": sincos_3d(32, 3, 2, 4).float()}
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "sincos_2d": "dim 16, grid 3,5", "sincos_3d": "dim 32, grid 3,2,4"})


def tubelet_embed_golden(path):
    tubelet, dim, channels = (2, 2, 3), 8, 3
    proj = nn.Conv3d(channels, dim, tubelet, stride=tubelet)
    x = torch.randn(2, channels, 4, 4, 6, requires_grad=True)            # grid 2 x 2 x 2 = 8 tubelets
    y = proj(x).flatten(2).transpose(1, 2)                               # [B, N, D]
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    safetensors_io.write(path, {"input": x, "output": y, "probe": probe, "grad.input": x.grad,
                                "proj.weight": proj.weight, "proj.bias": proj.bias,
                                "grad.proj.weight": proj.weight.grad, "grad.proj.bias": proj.bias.grad},
                         {"torch": torch.__version__, "tubelet": "2,2,3", "dim": dim, "channels": channels})


def norm_pix(x):
    mean = x.mean(dim=-1, keepdim=True)
    var = x.var(dim=-1, keepdim=True)
    return (x - mean) / (var + 1.e-6) ** .5


def patchify_2d(x, p):
    """Audio-MAE: [N, T, F] as an image [N, 1, T, F] -> [N, T/p * F/p, p*p]."""
    imgs = x.unsqueeze(1)
    h, w = imgs.shape[2] // p, imgs.shape[3] // p
    x = imgs.reshape(imgs.shape[0], 1, h, p, w, p)
    x = torch.einsum("nchpwq->nhwpqc", x)
    return x.reshape(imgs.shape[0], h * w, p * p)


def patchify_3d(imgs, u, p, q):
    """MAE-ST: [N, C, T, H, W] -> [N, T/u * H/p * W/q, u*p*q*C]."""
    n, c, frames, height, width = imgs.shape
    t, h, w = frames // u, height // p, width // q
    x = imgs.reshape(n, c, t, u, h, p, w, q)
    x = torch.einsum("nctuhpwq->nthwupqc", x)
    return x.reshape(n, t * h * w, u * p * q * c)


def patchify_golden(path):
    audio = (torch.randn(2, 8, 12) * 3 + 1).requires_grad_(True)
    video = (torch.randn(2, 3, 4, 4, 6) * 2 - 1).requires_grad_(True)
    a_raw, v_raw = patchify_2d(audio, 4), patchify_3d(video, 2, 2, 3)
    a, v = norm_pix(a_raw), norm_pix(v_raw)
    a_probe, v_probe = torch.randn_like(a), torch.randn_like(v)
    ((a * a_probe).sum() + (v * v_probe).sum()).backward()
    safetensors_io.write(path, {"audio": audio, "audio.raw": a_raw, "audio.normalised": a, "audio.probe": a_probe,
                                "grad.audio": audio.grad,
                                "video": video, "video.raw": v_raw, "video.normalised": v, "video.probe": v_probe,
                                "grad.video": video.grad},
                         {"torch": torch.__version__, "patch": 4, "tubelet": "2,2,3"})


class Decoder(nn.Module):
    """MAE's forward_decoder with a fixed position table."""

    def __init__(self, inputs, dim, depth, heads, outputs, table):
        super().__init__()
        self.embed = nn.Linear(inputs, dim)
        self.mask_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, mlp=4, pre=True) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pred = nn.Linear(dim, outputs)
        self.register_buffer("pos", table.float().unsqueeze(0))
        with torch.no_grad():  # non-trivial norm parameters so their gradients are not symmetric
            for norm in [self.norm] + [n for b in self.blocks for n in (b.norm1, b.norm2)]:
                norm.weight.add_(0.1 * torch.randn_like(norm.weight))
                norm.bias.add_(0.1 * torch.randn_like(norm.bias))

    def forward(self, x, ids_restore):
        x = self.embed(x)
        mask_tokens = self.mask_token.repeat(x.shape[0], ids_restore.shape[1] - x.shape[1], 1)
        x = torch.cat([x, mask_tokens], dim=1)
        x = torch.gather(x, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))
        x = x + self.pos
        for block in self.blocks:
            x = block(x)
        return self.pred(self.norm(x))

    def avdsl_state(self):
        state = {"embed.weight": self.embed.weight, "embed.bias": self.embed.bias, "mask_token": self.mask_token}
        for i, block in enumerate(self.blocks):
            state.update({f"transformer.blocks.{i}.{k}": v for k, v in block.avdsl_state().items()})
        state.update({"transformer.norm.weight": self.norm.weight, "transformer.norm.bias": self.norm.bias,
                      "pred.weight": self.pred.weight, "pred.bias": self.pred.bias})
        return state


def decoder_golden(path, table, kept, meta):
    batch, tokens = 2, table.shape[0]
    decoder = Decoder(inputs=16, dim=16, depth=2, heads=2, outputs=24, table=table)
    shuffle = torch.stack([torch.randperm(tokens) for _ in range(batch)])  # kept positions first
    restore = shuffle.argsort(1)
    visible = torch.randn(batch, kept, 16, requires_grad=True)
    y = decoder(visible, restore)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {"visible": visible, "keep_indices": shuffle[:, :kept], "restore_indices": restore, "masked": restore >= kept,
               "table": decoder.pos, "output": y, "probe": probe, "grad.visible": visible.grad}
    for key, p in decoder.avdsl_state().items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, dict({"torch": torch.__version__, "inputs": 16, "dim": 16, "depth": 2, "heads": 2,
                                              "outputs": 24, "kept": kept}, **meta))


def info_nce_golden(path):
    a = torch.randn(6, 8, requires_grad=True)
    b = torch.randn(6, 8, requires_grad=True)
    temperature = 0.1
    logits = F.normalize(a, dim=-1) @ F.normalize(b, dim=-1).t() / temperature
    a_to_b = -torch.diag(F.log_softmax(logits, dim=1)).mean()
    b_to_a = -torch.diag(F.log_softmax(logits, dim=0)).mean()
    both = (a_to_b + b_to_a) / 2
    both.backward()
    safetensors_io.write(path, {"a": a, "b": b, "a_to_b": a_to_b, "b_to_a": b_to_a, "both": both,
                                "grad.a": a.grad, "grad.b": b.grad}, {"torch": torch.__version__, "temperature": temperature})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    torch.manual_seed(20261203)
    positions_golden(os.path.join(out, "sincos_positions.safetensors"))
    tubelet_embed_golden(os.path.join(out, "tubelet_embed_3d.safetensors"))
    patchify_golden(os.path.join(out, "patchify.safetensors"))
    decoder_golden(os.path.join(out, "mae_decoder_2d.safetensors"), sincos_2d(16, 3, 4), kept=4, meta={"grid": "3,4"})
    decoder_golden(os.path.join(out, "mae_decoder_3d.safetensors"), sincos_3d(16, 2, 2, 3), kept=3, meta={"grid": "2,2,3"})
    info_nce_golden(os.path.join(out, "info_nce.safetensors"))


if __name__ == "__main__":
    main()
