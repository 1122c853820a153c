using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AvDsl.Runtime.Data;

/// <summary>
/// Log mel filterbank features computed exactly as <c>torchaudio.compliance.kaldi.fbank</c> does with EAT's
/// settings (see <see cref="FbankSettings"/>): optional removal of the waveform's mean (EAT does it before
/// calling fbank), snip-edges framing, per-frame DC removal, preemphasis with the frame's first sample
/// replicated, a symmetric Hann window, zero padding to a power of two, |FFT|², triangular mel filters and
/// log(max(energy, float32 epsilon)). Pure managed code, double precision inside; thread-safe (scratch
/// buffers are per call).
/// </summary>
public sealed class KaldiFbank
{
    // torch.finfo(torch.float).eps: Kaldi's floor before the log.
    private const double Epsilon = 1.1920928955078125e-07;

    private readonly double[] _window;
    private readonly MelBanks _mel;

    public KaldiFbank(FbankSettings? settings = null)
    {
        Settings = settings ?? FbankSettings.Eat;
        var size = Settings.WindowSize;
        if (size < 2 || Settings.WindowShift < 1)
            throw new ArgumentOutOfRangeException(nameof(settings), $"fbank: frame length and shift must give ≥ 2 and ≥ 1 samples, got {size} and {Settings.WindowShift}.");
        _window = new double[size];
        for (var i = 0; i < size; i++)
            _window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (size - 1)); // torch.hann_window(periodic=False)
        _mel = new MelBanks(Settings.MelBins, Settings.PaddedWindowSize, Settings.SampleRate, Settings.LowHz, Settings.HighHz);
    }

    public FbankSettings Settings { get; }

    /// <summary>centred[i] = samples[i] - mean (in double); returns Σ centred[i]. Eight samples at a time where SIMD is available.</summary>
    private static double Centre(ReadOnlySpan<float> samples, double mean, double[] centred)
    {
        var i = 0;
        var sum = 0.0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var source = ref MemoryMarshal.GetReference(samples);
            ref var target = ref MemoryMarshal.GetArrayDataReference(centred);
            var vmean = Vector256.Create(mean);
            var acc = Vector256<double>.Zero;
            for (; i + 8 <= samples.Length; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
                lo -= vmean;
                hi -= vmean;
                lo.StoreUnsafe(ref target, (nuint)i);
                hi.StoreUnsafe(ref target, (nuint)(i + 4));
                acc += lo + hi;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < samples.Length; i++)
        {
            var x = samples[i] - mean;
            centred[i] = x;
            sum += x;
        }
        return sum;
    }

    /// <summary>
    /// frame[i] = ((x[i] - m) - pre * (x[i-1] - m)) * window[i], with x[-1] = x[0] (torchaudio's replicate pad),
    /// zero from the window's end to the FFT length. Four samples at a time where SIMD is available.
    /// </summary>
    private void Preemphasise(double[] x, double frameMean, double pre, double[] frame)
    {
        var size = x.Length;
        var bias = (1.0 - pre) * frameMean; // (x - m) - pre (x' - m) = x - pre x' - (1 - pre) m
        frame[0] = (x[0] - pre * x[0] - bias) * _window[0];
        var i = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var xs = ref MemoryMarshal.GetArrayDataReference(x);
            ref var ws = ref MemoryMarshal.GetArrayDataReference(_window);
            ref var fs = ref MemoryMarshal.GetArrayDataReference(frame);
            var vpre = Vector256.Create(pre);
            var vbias = Vector256.Create(bias);
            for (; i + 4 <= size; i += 4)
            {
                var current = Vector256.LoadUnsafe(ref xs, (nuint)i);
                var previous = Vector256.LoadUnsafe(ref xs, (nuint)(i - 1));
                ((current - vpre * previous - vbias) * Vector256.LoadUnsafe(ref ws, (nuint)i)).StoreUnsafe(ref fs, (nuint)i);
            }
        }
        for (; i < size; i++)
            frame[i] = (x[i] - pre * x[i - 1] - bias) * _window[i];
        Array.Clear(frame, size, frame.Length - size);
    }

    /// <summary>log(max(e, float32 epsilon)) as float, four at a time where SIMD is available.</summary>
    private static void LogFloored(double[] energies, Span<float> row)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var floor = Vector256.Create(Epsilon);
            Span<double> logs = stackalloc double[4];
            for (; i + 4 <= energies.Length; i += 4)
            {
                Vector256.Log(Vector256.Max(Vector256.Create(energies.AsSpan(i, 4)), floor)).CopyTo(logs);
                row[i] = (float)logs[0];
                row[i + 1] = (float)logs[1];
                row[i + 2] = (float)logs[2];
                row[i + 3] = (float)logs[3];
            }
        }
        for (; i < energies.Length; i++)
            row[i] = (float)Math.Log(Math.Max(energies[i], Epsilon));
    }

    /// <summary>Features [frames, mel] (row-major) of a mono waveform at <see cref="FbankSettings.SampleRate"/>, values in [-1, 1].</summary>
    public float[] Compute(ReadOnlySpan<float> waveform, out int frames)
    {
        frames = Settings.FrameCount(waveform.Length);
        var output = new float[frames * Settings.MelBins];
        if (frames == 0) return output;

        var mean = 0.0;
        if (Settings.RemoveWaveformMean)
        {
            for (var i = 0; i < waveform.Length; i++) mean += waveform[i];
            mean /= waveform.Length;
        }

        var size = Settings.WindowSize;
        var shift = Settings.WindowShift;
        var fft = new RealFft(Settings.PaddedWindowSize);
        var centred = new double[size];
        var frame = new double[fft.Length];
        var power = new double[fft.Bins];
        var energies = new double[Settings.MelBins];
        var melBins = Settings.MelBins;
        var pre = Settings.Preemphasis;
        for (var f = 0; f < frames; f++)
        {
            var frameMean = Centre(waveform.Slice(f * shift, size), mean, centred) / size;
            Preemphasise(centred, frameMean, pre, frame);
            fft.PowerSpectrum(frame, power);
            _mel.Apply(power, energies);
            LogFloored(energies, output.AsSpan(f * melBins, melBins));
        }
        return output;
    }
}
