namespace AvDsl.Runtime.Data;

/// <summary>
/// Kaldi's triangular mel filters (torchaudio.compliance.kaldi.get_mel_banks without VTLN): bins equally
/// spaced on mel = 1127 ln(1 + f/700) between the low and high frequency, evaluated at each FFT bin's
/// frequency; the Nyquist bin gets weight 0. Stored sparsely, since each filter spans only a few bins.
/// </summary>
public sealed class MelBanks
{
    public MelBanks(int bins, int paddedWindowSize, double sampleRate, double lowHz, double highHz)
    {
        var nyquist = 0.5 * sampleRate;
        if (highHz <= 0.0) highHz += nyquist;
        if (bins < 3 || lowHz < 0 || highHz > nyquist || lowHz >= highHz)
            throw new ArgumentOutOfRangeException(nameof(bins), $"mel banks: need ≥ 3 bins and 0 ≤ low < high ≤ Nyquist, got {bins} bins, {lowHz}..{highHz} Hz at {sampleRate} Hz.");
        var fftBins = paddedWindowSize / 2;
        var binWidth = sampleRate / paddedWindowSize;
        var melLow = Mel(lowHz);
        var melHigh = Mel(highHz);
        var delta = (melHigh - melLow) / (bins + 1);

        Bins = bins;
        First = new int[bins];
        Weights = new double[bins][];
        for (var m = 0; m < bins; m++)
        {
            var left = melLow + m * delta;
            var center = melLow + (m + 1) * delta;
            var right = melLow + (m + 2) * delta;
            var weights = new List<double>();
            var first = -1;
            for (var k = 0; k < fftBins; k++)
            {
                var mel = Mel(binWidth * k);
                var up = (mel - left) / (center - left);
                var down = (right - mel) / (right - center);
                var w = Math.Max(0.0, Math.Min(up, down));
                if (w <= 0.0)
                {
                    if (first >= 0) break;
                    continue;
                }
                if (first < 0) first = k;
                weights.Add(w);
            }
            First[m] = Math.Max(first, 0);
            Weights[m] = weights.ToArray();
        }
    }

    public int Bins { get; }

    /// <summary>energies[m] = Σ_k weight[m, k] · power[k] over each filter's non-zero span.</summary>
    public void Apply(ReadOnlySpan<double> power, Span<double> energies)
    {
        for (var m = 0; m < Bins; m++)
        {
            var weights = Weights[m];
            var spectrum = power.Slice(First[m], weights.Length);
            var sum = 0.0;
            for (var k = 0; k < weights.Length; k++)
                sum += weights[k] * spectrum[k];
            energies[m] = sum;
        }
    }

    /// <summary>The first FFT bin with a non-zero weight, per filter.</summary>
    public int[] First { get; }

    /// <summary>The non-zero weights from <see cref="First"/> on, per filter.</summary>
    public double[][] Weights { get; }

    public static double Mel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);
}
