"""Makes the golden files the Runtime tests compare against (run with Debian's python3-torch 1.13.1, the
libtorch AvDsl binds):  /usr/bin/python3 tests/Runtime.Tests/Goldens/make_goldens.py
Each file holds the inputs, the parameters under AvDsl's state-dict keys, the outputs, and the gradients of
sum(output * probe) ("grad.<name>"). The references are written with plain PyTorch modules and explicit
attention math, independent of the C# implementation."""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Scripts"))
import safetensors_io  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return scores.softmax(-1) @ v


class Block(nn.Module):
    """timm's ViT block; eps 1e-6; pre- or post-norm."""

    def __init__(self, dim, heads, mlp, pre):
        super().__init__()
        self.heads, self.pre = heads, pre
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, dim * mlp)
        self.fc2 = nn.Linear(dim * mlp, dim)

    def attn(self, x):
        b, n, d = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = attention(qkv[0], qkv[1], qkv[2])
        return self.proj(y.transpose(1, 2).reshape(b, n, d))

    def mlp(self, x):
        return self.fc2(F.gelu(self.fc1(x)))

    def forward(self, x):
        if self.pre:
            x = x + self.attn(self.norm1(x))
            return x + self.mlp(self.norm2(x))
        x = self.norm1(x + self.attn(x))
        return self.norm2(x + self.mlp(x))

    def avdsl_state(self):
        names = {"norm1": "norm1", "qkv": "attn.qkv", "proj": "attn.proj", "norm2": "norm2", "fc1": "mlp.fc1", "fc2": "mlp.fc2"}
        return {f"{names[k.split('.')[0]]}.{k.split('.')[1]}": v for k, v in self.named_parameters()}


class ConvDecoder2d(nn.Module):
    """data2vec 2.0 / EAT Decoder2d: [Conv2d k, groups → LayerNorm(no affine) over channels → GELU] + residual, then Linear."""

    def __init__(self, layers, dim, kernel, groups, grid):
        super().__init__()
        self.grid = grid
        self.convs = nn.ModuleList([nn.Conv2d(dim, dim, kernel, padding=kernel // 2, groups=groups) for _ in range(layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim, elementwise_affine=False) for _ in range(layers)])
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        x = x.transpose(1, 2).reshape(b, c, self.grid[0], self.grid[1])
        residual = x
        for conv, norm in zip(self.convs, self.norms):
            x = conv(x)
            x = norm(x.transpose(-3, -1)).transpose(-3, -1)
            x = F.gelu(x)
            x = x + residual
            residual = x
        x = x.reshape(b, -1, t).transpose(1, 2)
        return self.proj(x)

    def avdsl_state(self):
        state = {}
        for i, conv in enumerate(self.convs):
            state[f"blocks.{i}.conv.weight"] = conv.weight
            state[f"blocks.{i}.conv.bias"] = conv.bias
        state["proj.weight"] = self.proj.weight
        state["proj.bias"] = self.proj.bias
        return state


def forward_backward(path, module, x, meta):
    x = x.clone().requires_grad_(True)
    y = module(x)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {"input": x, "output": y, "probe": probe, "grad.input": x.grad}
    for key, p in module.avdsl_state().items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, meta)


def sdpa(path):
    q, k, v = (torch.randn(2, 3, 5, 8, dtype=torch.float64, requires_grad=True) for _ in range(3))
    mask = torch.rand(5, 5) > 0.3
    mask[:, 0] = True  # every query sees at least one key
    y = attention(q, k, v)
    y_masked = attention(q, k, v, mask)
    probe = torch.randn_like(y)
    ((y + y_masked) * probe).sum().backward()
    safetensors_io.write(path, {"q": q, "k": k, "v": v, "mask": mask, "output": y, "output_masked": y_masked,
                                "probe": probe, "grad.q": q.grad, "grad.k": k.grad, "grad.v": v.grad})


def adamw(path):
    w = torch.randn(4, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    tensors = {"w.initial": w.detach().clone(), "b.initial": b.detach().clone()}
    opt = torch.optim.AdamW([{"params": [w], "weight_decay": 0.05}, {"params": [b], "weight_decay": 0.0}],
                            lr=1e-2, betas=(0.9, 0.95), eps=1e-8)
    for step in range(1, 4):
        w.grad = torch.randn_like(w)
        b.grad = torch.randn_like(b)
        tensors[f"w.grad.{step}"] = w.grad.clone()
        tensors[f"b.grad.{step}"] = b.grad.clone()
        opt.step()
        tensors[f"w.after.{step}"] = w.detach().clone()
        tensors[f"b.after.{step}"] = b.detach().clone()
    tensors["w.exp_avg"] = opt.state[w]["exp_avg"]
    tensors["w.exp_avg_sq"] = opt.state[w]["exp_avg_sq"]
    safetensors_io.write(path, tensors, {"lr": 1e-2, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.05})


def main():
    torch.manual_seed(20261122)
    version = {"torch": torch.__version__}
    for pre in (True, False):
        block = Block(dim=16, heads=4, mlp=4, pre=pre)
        with torch.no_grad():  # non-trivial norm parameters so their gradients are not symmetric
            for norm in (block.norm1, block.norm2):
                norm.weight.add_(0.1 * torch.randn_like(norm.weight))
                norm.bias.add_(0.1 * torch.randn_like(norm.bias))
        name = "transformer_block_pre" if pre else "transformer_block_post"
        forward_backward(os.path.join(HERE, name + ".safetensors"), block, torch.randn(2, 5, 16),
                         dict(version, dim=16, heads=4, mlp=4, norm="pre" if pre else "post"))
    decoder = ConvDecoder2d(layers=2, dim=32, kernel=3, groups=16, grid=(4, 4))
    forward_backward(os.path.join(HERE, "conv_decoder_2d.safetensors"), decoder, torch.randn(2, 16, 32),
                     dict(version, layers=2, dim=32, kernel=3, groups=16, grid="4,4"))
    sdpa(os.path.join(HERE, "sdpa.safetensors"))
    adamw(os.path.join(HERE, "adamw.safetensors"))


if __name__ == "__main__":
    main()
