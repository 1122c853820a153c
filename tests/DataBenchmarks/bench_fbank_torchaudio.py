#!/usr/bin/python3
"""torchaudio's side of the fbank benchmark (tests/DataBenchmarks): EAT's fbank over every .wav in a folder.

Usage: /usr/bin/python3 bench_fbank_torchaudio.py <folder> <threads> <repeats>
Prints one JSON line: {"clips": N, "frames": F, "seconds": best total compute time over the repeats}.
Timing covers what the C# side times: waveform mean removal and kaldi.fbank on a tensor already in memory
(reading the files is excluded on both sides). Needs Debian's python3-torchaudio; never used by tests.
"""
import json
import os
import sys
import time
import wave

import numpy as np
import torch
import torchaudio


def read(path):
    with wave.open(path, "rb") as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return torch.from_numpy(pcm.astype(np.float32) / np.float32(32768.0))


def main():
    folder, threads, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    clips = [read(os.path.join(folder, n)) for n in sorted(os.listdir(folder)) if n.endswith(".wav")]
    best = float("inf")
    frames = 0
    with torch.no_grad():
        for _ in range(repeats):
            start = time.perf_counter()
            frames = 0
            for source in clips:
                source = source - source.mean()
                fbank = torchaudio.compliance.kaldi.fbank(
                    source.unsqueeze(0), htk_compat=True, sample_frequency=16000, use_energy=False,
                    window_type="hanning", num_mel_bins=128, dither=0.0, frame_shift=10)
                frames += fbank.shape[0]
            best = min(best, time.perf_counter() - start)
    print(json.dumps({"clips": len(clips), "frames": frames, "seconds": best, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "torchaudio": torchaudio.__version__}))


if __name__ == "__main__":
    main()
