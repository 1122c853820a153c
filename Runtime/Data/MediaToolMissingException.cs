namespace AvDsl.Runtime.Data;

/// <summary>An external tool (ffmpeg, ffprobe, espeak-ng, fluidsynth) is not installed: a setup problem, never a bad input.</summary>
public sealed class MediaToolMissingException(string tool, Exception inner)
    : Exception($"{tool} was not found on PATH; install it (Debian: apt-get install {PackageOf(tool)}; ./avdsl installs it on first run)" +
        (tool is "ffmpeg" or "ffprobe" ? " or set AVDSL_FFMPEG_DIR to the folder holding ffmpeg and ffprobe." : "."), inner)
{
    public string Tool { get; } = tool;

    private static string PackageOf(string tool) => tool is "ffprobe" ? "ffmpeg" : tool;
}
