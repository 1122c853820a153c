using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl features</c> was asked for.</summary>
/// <param name="Kind">"fbank" or "video".</param>
/// <param name="Frames">video: this many frames; all when null.</param>
public sealed record FeaturesOptions(string Media, string Kind, string Output, int Size, double Fps, int? Frames, TimeWindow Window);
