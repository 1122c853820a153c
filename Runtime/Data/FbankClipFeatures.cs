namespace AvDsl.Runtime.Data;

/// <summary>
/// An fbank input as EAT prepares it: 16 kHz mono audio → Kaldi fbank (raw, cached) → padded or cropped to
/// <paramref name="frames"/> and normalised with the dataset's mean and std.
/// </summary>
public sealed class FbankClipFeatures(string input, int frames, double mean, double std, FbankSettings? settings = null) : IClipFeatures
{
    private readonly KaldiFbank _fbank = new(settings);

    public string Input { get; } = input;
    public int Frames { get; } = frames > 0 ? frames : throw new ArgumentOutOfRangeException(nameof(frames), $"fbank input '{input}': frames must be positive, got {frames}.");
    public double Mean { get; } = mean;
    public double Std { get; } = std > 0 ? std : throw new ArgumentOutOfRangeException(nameof(std), $"fbank input '{input}': std must be positive, got {std}.");
    public FbankSettings Settings => _fbank.Settings;
    public string SettingsKey => Settings.Key;
    public string Stream => "audio";
    public int[] SampleShape => [Frames, Settings.MelBins];

    public FeatureArray Extract(ManifestEntry entry, CancellationToken cancel) => Compute(_fbank, entry.Path, entry.Window, cancel);

    /// <summary>Raw fbank [frames, mel] of a file (or a window of it), decoded through ffmpeg.</summary>
    public static FeatureArray Compute(KaldiFbank fbank, string path, TimeWindow? window, CancellationToken cancel)
    {
        var wave = AudioDecoder.Decode(path, window, cancel: cancel);
        var features = fbank.Compute(wave, out var count);
        if (count == 0)
            throw new InvalidMediaException(path, BadInputReason.TooShort,
                $"{path}: {wave.Length} samples of audio ({wave.Length / (double)AudioDecoder.SampleRate:0.###} s) are shorter than one {fbank.Settings.FrameLengthMs} ms fbank frame.");
        return new FeatureArray(features, [count, fbank.Settings.MelBins]);
    }

    public float[] Prepare(FeatureArray raw) => FbankNormalization.Prepare(raw.Data, Settings.MelBins, Frames, Mean, Std);

    /// <summary>[frames, mel]: a spectrogram.</summary>
    public SamplePicture Picture => new SpectrogramPicture();
}
