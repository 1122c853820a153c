namespace AvDsl.Runtime.Data;

/// <summary>
/// Kaldi filterbank settings, with EAT's values as defaults (torchaudio.compliance.kaldi.fbank called with
/// htk_compat, use_energy false, Hanning window, 128 bins, dither 0, 10 ms shift; the rest torchaudio's
/// defaults: 25 ms frames, preemphasis 0.97, DC removal, snip_edges, power spectrum, 20 Hz to Nyquist).
/// </summary>
public sealed record FbankSettings(
    int MelBins = 128,
    int SampleRate = 16000,
    double FrameLengthMs = 25.0,
    double FrameShiftMs = 10.0,
    double Preemphasis = 0.97,
    double LowHz = 20.0,
    double HighHz = 0.0,
    bool RemoveWaveformMean = true)
{
    public static FbankSettings Eat { get; } = new();

    /// <summary>Samples per frame (400 at 16 kHz, 25 ms).</summary>
    public int WindowSize => (int)(SampleRate * FrameLengthMs * 0.001);

    /// <summary>Samples between frame starts (160 at 16 kHz, 10 ms).</summary>
    public int WindowShift => (int)(SampleRate * FrameShiftMs * 0.001);

    /// <summary>The FFT length: the window size rounded up to a power of two (512).</summary>
    public int PaddedWindowSize => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)WindowSize);

    /// <summary>Frames Kaldi produces with snip_edges for <paramref name="samples"/> samples.</summary>
    public int FrameCount(long samples) => samples < WindowSize ? 0 : (int)(1 + (samples - WindowSize) / WindowShift);

    /// <summary>A stable text naming every setting, for cache keys.</summary>
    public string Key => FormattableString.Invariant(
        $"fbank-v1:mel={MelBins};sr={SampleRate};len={FrameLengthMs};shift={FrameShiftMs};pre={Preemphasis};lo={LowHz};hi={HighHz};mean={RemoveWaveformMean}");
}
