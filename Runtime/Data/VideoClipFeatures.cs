namespace AvDsl.Runtime.Data;

/// <summary>A video input: a fixed number of frames, ImageNet-normalised (see <see cref="VideoFrameSettings"/>), decoded and
/// cached as [frames, 3, S, S] and prepared channels first, [3, frames, S, S], the layout Conv3d takes.</summary>
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
    public string Stream => "video";

    /// <summary>[3, frames, S, S], ImageNet-normalised: RGB frames at the sampling rate.</summary>
    public SamplePicture Picture => new FramesPicture(VideoFrameSettings.ImageNetMean, VideoFrameSettings.ImageNetStd, Settings.Fps);
    public int[] SampleShape => [3, Settings.Frames!.Value, Settings.Size, Settings.Size];

    public FeatureArray Extract(ManifestEntry entry, CancellationToken cancel)
    {
        var data = VideoDecoder.Decode(entry.Path, Settings, out var frames, entry.Window, cancel: cancel);
        return new FeatureArray(data, [frames, 3, Settings.Size, Settings.Size]);
    }

    /// <summary>[frames, 3, S, S] → [3, frames, S, S].</summary>
    public float[] Prepare(FeatureArray raw)
    {
        var frames = raw.Shape[0];
        var plane = Settings.Size * Settings.Size;
        var prepared = new float[raw.Data.Length];
        for (var t = 0; t < frames; t++)
            for (var c = 0; c < 3; c++)
                Array.Copy(raw.Data, (t * 3 + c) * plane, prepared, (c * frames + t) * plane, plane);
        return prepared;
    }
}
