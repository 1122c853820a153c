namespace AvDsl.Runtime.Data;

/// <summary>Turns what went wrong with a media file into an <see cref="InvalidMediaException"/> with a reason and a sentence.</summary>
public static class MediaFailure
{
    public static void ThrowIfMissingOrEmpty(string path)
    {
        if (!File.Exists(path))
            throw new InvalidMediaException(path, BadInputReason.Missing, $"{path}: no such file.");
        if (new FileInfo(path).Length == 0)
            throw new InvalidMediaException(path, BadInputReason.Empty, $"{path}: the file is empty (0 bytes).");
    }

    /// <summary>A failed ffmpeg/ffprobe run: timed out, a known container cut short (truncated), or unreadable (corrupt).</summary>
    public static InvalidMediaException FromTool(string path, string tool, MediaToolResult result)
    {
        if (result.TimedOut)
            return new InvalidMediaException(path, BadInputReason.TimedOut, $"{path}: {tool} did not finish within its time limit and was stopped.");
        var container = ContainerSignature.Detect(path);
        return container is null
            ? new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: not a media file {tool} can read ({result.StderrTail()}).")
            : new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: starts like a {container} file but {tool} cannot read it, so it is probably cut short ({result.StderrTail()}).");
    }

    public static InvalidMediaException Truncated(string path, string detail) =>
        new(path, BadInputReason.Truncated, $"{path}: truncated — {detail}.");

    public static InvalidMediaException NoStream(string path, string kind, MediaInfo info) =>
        new(path, BadInputReason.NoStream,
            $"{path}: has no {kind} stream (it has: {(info.Streams.Count == 0 ? "no streams" : string.Join(", ", info.Streams.Select(s => $"{s.Kind} {s.Codec}")))}).");
}
