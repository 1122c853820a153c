namespace AvDsl.Runtime.Data;

/// <summary><c>frames(count, fps, size)</c>: <paramref name="Count"/> video frames sampled at <paramref name="Fps"/>,
/// resized and centre-cropped to size × size, ImageNet-normalised, channels first as Conv3d takes them.</summary>
[Constraint("count > 0 and size > 0", "count and size must be positive")]
[Constraint("fps > 0", "fps must be positive")]
[Feature("frames")]
[Shape("-> [3, count, size, size]")]
public sealed record FramesFeature(int Count = 8, double Fps = 4.0, int Size = 224) : IFeatureKind
{
    public IClipFeatures For(string input) => new VideoClipFeatures(input, new VideoFrameSettings(Count, Fps, Size));
}
