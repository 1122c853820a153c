namespace AvDsl.Runtime.Data;

/// <summary>A video input: a fixed number of frames [frames, 3, S, S], ImageNet-normalised (see <see cref="VideoFrameSettings"/>).</summary>
public sealed class VideoClipFeatures : IClipFeatures
{
    public VideoClipFeatures(string input, VideoFrameSettings settings)
    {
        if (settings.Frames is not > 0)
            throw new ArgumentOutOfRangeException(nameof(settings), $"video input '{input}': a batch needs a fixed positive frame count, got {settings.Frames?.ToString() ?? "all"}.");
        Input = input;
        Settings = settings;
    }

    public string Input { get; }
    public VideoFrameSettings Settings { get; }
    public string SettingsKey => Settings.Key;
    public int[] SampleShape => [Settings.Frames!.Value, 3, Settings.Size, Settings.Size];

    public FeatureArray Extract(ManifestEntry entry, CancellationToken cancel)
    {
        var data = VideoDecoder.Decode(entry.Path, Settings, out var frames, entry.Window, cancel: cancel);
        return new FeatureArray(data, [frames, 3, Settings.Size, Settings.Size]);
    }

    public float[] Prepare(FeatureArray raw) => raw.Data;
}
