namespace AvDsl.Runtime.Data;

/// <summary><c>synthetic_spectrograms()</c>: seeded spectrogram-like patterns (<see cref="SyntheticSpectrograms"/>) for
/// the spec's one fbank input, no media files; endless, so a run using it is counted in steps.</summary>
[DataSource("synthetic_spectrograms", Endless = true, SingleInput = typeof(FbankFeature))]
public sealed record SyntheticSpectrogramsSource : IDataSource
{
    public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => inputs is [{ SampleShape: [var frames, var mel] } input]
        ? new SyntheticSpectrograms(input.Input, frames, mel, seed, shard)
        : throw new ArgumentException($"synthetic_spectrograms fills one [frames, mel] input; got {inputs.Count} input(s).");
}
