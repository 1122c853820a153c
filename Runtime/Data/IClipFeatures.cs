namespace AvDsl.Runtime.Data;

/// <summary>
/// Turns one manifest entry into one spec input: <see cref="Extract"/> decodes the file into raw features
/// (what the cache stores and `avdsl features` writes), <see cref="Prepare"/> fits them to the fixed
/// per-sample shape the model takes (padding, cropping, normalisation).
/// </summary>
public interface IClipFeatures
{
    /// <summary>The spec input the features feed, e.g. "audio".</summary>
    string Input { get; }

    /// <summary>Every setting that changes <see cref="Extract"/>'s result; part of the cache key.</summary>
    string SettingsKey { get; }

    /// <summary>The kind of media stream <see cref="Extract"/> reads ("audio", "video"), or null when it reads no stream
    /// (generated data); a manifest whose clips lack it is refused before training.</summary>
    string? Stream => null;

    /// <summary>The shape of one prepared sample, e.g. [1024, 128].</summary>
    int[] SampleShape { get; }

    /// <summary>Raw features of the entry's file and window; throws <see cref="InvalidMediaException"/> for bad input.</summary>
    FeatureArray Extract(ManifestEntry entry, CancellationToken cancel);

    /// <summary>The model's input for one sample, <see cref="SampleShape"/> values in C order.</summary>
    float[] Prepare(FeatureArray raw);

    /// <summary>How a prepared sample is drawn (a spectrogram, video frames); null when the features have no picture.</summary>
    SamplePicture? Picture => null;
}
