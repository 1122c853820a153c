namespace AvDsl.Runtime.Data;

/// <summary>
/// How a clip's video becomes frames: <see cref="Frames"/> frames (all when null) sampled at <see cref="Fps"/>,
/// resized so the shorter side is <see cref="Size"/> and centre-cropped to Size x Size RGB, normalised with
/// ImageNet's mean and std (MAViL's video input: 8 frames of 224 x 224).
/// </summary>
public sealed record VideoFrameSettings(int? Frames = 8, double Fps = 4.0, int Size = 224)
{
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    public string Key => FormattableString.Invariant($"video-v1:frames={Frames?.ToString() ?? "all"};fps={Fps:R};size={Size}");
}
