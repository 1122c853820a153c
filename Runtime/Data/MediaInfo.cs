namespace AvDsl.Runtime.Data;

/// <summary>A probed media file: container format, duration in seconds (when known) and streams.</summary>
public sealed record MediaInfo(string Path, string Format, double? Duration, IReadOnlyList<MediaStreamInfo> Streams)
{
    public MediaStreamInfo? FirstAudio => Streams.FirstOrDefault(s => s.Kind == "audio");
    public MediaStreamInfo? FirstVideo => Streams.FirstOrDefault(s => s.Kind == "video");
}
