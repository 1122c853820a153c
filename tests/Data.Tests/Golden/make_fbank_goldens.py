#!/usr/bin/python3
"""Regenerates the fbank golden files next to this script.

Needs Debian 12's python3-torchaudio (torchaudio 0.13) and espeak-ng + ffmpeg; tests never run it, they read
the committed .wav inputs and .npy outputs. Run: /usr/bin/python3 make_fbank_goldens.py

Each input is 16 kHz mono PCM 16-bit; both sides read it as int16 / 32768 in float32. The reference is EAT's
feature code (cwx-worst-one/EAT, data/ and feature extraction): waveform mean removed, then
torchaudio.compliance.kaldi.fbank(htk_compat=True, sample_frequency=16000, use_energy=False,
window_type='hanning', num_mel_bins=128, dither=0.0, frame_shift=10), then pad/crop and (x - mean) / (2 * std).
"""
import os
import subprocess
import tempfile
import wave

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))
RATE = 16000


def write_wav(name, samples):
    pcm = np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")
    with wave.open(os.path.join(HERE, name), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


def read_wav(name):
    with wave.open(os.path.join(HERE, name), "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / np.float32(32768.0)


def eat_fbank(samples):
    source = torch.from_numpy(samples).float()
    source = source - source.mean()
    return torchaudio.compliance.kaldi.fbank(
        source.unsqueeze(0), htk_compat=True, sample_frequency=RATE, use_energy=False,
        window_type="hanning", num_mel_bins=128, dither=0.0, frame_shift=10)


def eat_prepare(fbank, target, mean, std):
    diff = target - fbank.shape[0]
    if diff > 0:
        fbank = torch.nn.ZeroPad2d((0, 0, 0, diff))(fbank)
    elif diff < 0:
        fbank = fbank[0:target, :]
    return (fbank - mean) / (std * 2)


def make_inputs():
    rng = np.random.default_rng(6)
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "speech.wav")
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, "yes no up down"], check=True)
        pcm = subprocess.run(["ffmpeg", "-v", "error", "-i", raw, "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
                             check=True, capture_output=True).stdout
        write_wav("speech.wav", np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0)
    t = np.arange(int(1.2345 * RATE)) / RATE
    write_wav("noise.wav", rng.normal(0.0, 0.1, t.size))
    tones = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.15 * np.sin(2 * np.pi * 1000 * t) + 0.05 * np.sin(2 * np.pi * 3150 * t)
    write_wav("tones.wav", tones + rng.normal(0.0, 1e-3, t.size))
    write_wav("silence.wav", np.zeros(RATE))
    clipped = np.clip(3.0 * np.sin(2 * np.pi * 220 * t) + rng.normal(0.0, 0.05, t.size), -1.0, 1.0)
    write_wav("clipped.wav", clipped)


def main():
    if not os.path.exists(os.path.join(HERE, "speech.wav")) or os.environ.get("REMAKE_INPUTS"):
        make_inputs()
    for name in ["speech", "noise", "tones", "silence", "clipped"]:
        fbank = eat_fbank(read_wav(name + ".wav"))
        np.save(os.path.join(HERE, name + ".fbank.npy"), fbank.numpy().astype("<f4"))
        print(name, tuple(fbank.shape), float(fbank.min()), float(fbank.max()))
    # EAT's pad (speech, ~1.3 s → 256 frames) and crop (noise → 64 frames), normalised with AudioSet's statistics.
    speech = eat_prepare(eat_fbank(read_wav("speech.wav")), 256, -4.268, 4.569)
    np.save(os.path.join(HERE, "speech.eat256.npy"), speech.numpy().astype("<f4"))
    noise = eat_prepare(eat_fbank(read_wav("noise.wav")), 64, -4.268, 4.569)
    np.save(os.path.join(HERE, "noise.eat64.npy"), noise.numpy().astype("<f4"))


if __name__ == "__main__":
    main()
