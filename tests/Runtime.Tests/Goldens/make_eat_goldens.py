"""Makes the golden files for EAT's target and decoder input (run with Debian's python3-torch 1.13.1, the libtorch
AvDsl binds):  /usr/bin/python3 tests/Runtime.Tests/Goldens/make_eat_goldens.py [output directory]
Each file holds the inputs, the parameters under AvDsl's state-dict keys, the outputs, and the gradients of
sum(output * probe) ("grad.<name>"). The references follow data2vec 2.0's make_targets and decoder_input,
written with plain PyTorch and independent of the C# implementation."""
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "Scripts"))
import safetensors_io  # noqa: E402
from make_goldens import ConvDecoder2d  # noqa: E402


def layer_average(ffn, top, skip, instance_norm, final_norm):
    """data2vec 2.0's make_targets on FFN outputs [B, N, D]: top-k layers, extra tokens dropped."""
    y = [t[:, skip:] for t in ffn[len(ffn) - top if top else 0:]]
    if instance_norm:
        y = [F.instance_norm(t.transpose(1, 2)).transpose(1, 2) for t in y]
    y = sum(y) / len(y)
    return F.layer_norm(y, y.shape[-1:]) if final_norm else y


def layer_average_golden(path):
    ffn = [torch.randn(2, 6, 8) * (i + 1) + i for i in range(3)]
    ffn = [t.requires_grad_(True) for t in ffn]
    y = layer_average(ffn, top=0, skip=1, instance_norm=True, final_norm=True)
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {f"ffn.{i}": t for i, t in enumerate(ffn)}
    tensors.update({"output": y, "probe": probe})
    tensors.update({f"grad.ffn.{i}": t.grad for i, t in enumerate(ffn)})
    with torch.no_grad():
        tensors["output.top2"] = layer_average(ffn, top=2, skip=1, instance_norm=True, final_norm=True)
        tensors["output.plain"] = layer_average(ffn, top=0, skip=0, instance_norm=False, final_norm=False)
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "layers": 3, "top": "0 / 2", "skip": 1})


def decoder_input(visible, restore, tokens, noise):
    """data2vec 2.0's decoder_input: visible tokens, then noise for the masked ones, unshuffled by ids_restore."""
    fill = visible.new_empty(visible.shape[0], tokens - visible.shape[1], visible.shape[2]).normal_(0, noise)
    x = torch.cat([visible, fill], dim=1)
    return torch.gather(x, 1, restore.unsqueeze(-1).expand(-1, -1, visible.shape[2]))


def masked_decoder_golden(path):
    batch, kept, grid, dim = 2, 6, (4, 4), 32
    tokens = grid[0] * grid[1]
    shuffle = torch.stack([torch.randperm(tokens) for _ in range(batch)])  # kept positions first
    restore = shuffle.argsort(1)
    keep = shuffle[:, :kept]
    masked = restore >= kept
    decoder = ConvDecoder2d(layers=2, dim=dim, kernel=3, groups=16, grid=grid)
    visible = torch.randn(batch, kept, dim, requires_grad=True)
    y = decoder(decoder_input(visible, restore, tokens, noise=0.0))
    probe = torch.randn_like(y)
    (y * probe).sum().backward()
    tensors = {"visible": visible, "keep_indices": keep, "restore_indices": restore, "masked": masked,
               "output": y, "probe": probe, "grad.visible": visible.grad}
    for key, p in decoder.avdsl_state().items():
        tensors[key] = p
        tensors["grad." + key] = p.grad
    safetensors_io.write(path, tensors, {"torch": torch.__version__, "layers": 2, "dim": dim, "kernel": 3,
                                         "groups": 16, "grid": "4,4", "noise": 0.0})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    torch.manual_seed(20261201)
    layer_average_golden(os.path.join(out, "layer_average.safetensors"))
    masked_decoder_golden(os.path.join(out, "conv_decoder_2d_masked.safetensors"))


if __name__ == "__main__":
    main()
