namespace AvDsl.Runtime.Data;

/// <summary>One stream of a media file as ffprobe reports it.</summary>
public sealed record MediaStreamInfo(int Index, string Kind, string Codec, double? Duration,
    int? SampleRate = null, int? Channels = null, int? Width = null, int? Height = null, double? FrameRate = null);
