"""Reads an AvDsl checkpoint with plain PyTorch (Debian's python3-torch) and prints, per tensor, its name, dtype,
shape and two checksums (the float64 sum and the float64 sum of absolute values), then the metadata's step and
optimizer step. The safetensors file is parsed by hand (safetensors_io.py): the `safetensors` package is absent.
    python3 read_checkpoint.py checkpoint.safetensors"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def main(path):
    tensors, metadata = safetensors_io.read(path)
    for name, tensor in tensors.items():
        values = tensor.to(torch.float64)
        shape = "x".join(str(s) for s in tensor.shape) or "scalar"
        print(f"tensor {name} {str(tensor.dtype).replace('torch.', '')} {shape} {values.sum().item():.17g} {values.abs().sum().item():.17g}")
    print(f"meta step {metadata.get('step')}")
    print(f"meta optimizer.step {metadata.get('optimizer.step')}")
    print(f"meta libtorch {metadata.get('libtorch')}")


if __name__ == "__main__":
    main(sys.argv[1])
