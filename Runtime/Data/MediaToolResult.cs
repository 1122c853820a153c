namespace AvDsl.Runtime.Data;

/// <summary>What an ffmpeg/ffprobe run produced: exit code, stdout bytes, stderr text (kept for error messages).</summary>
public sealed record MediaToolResult(int ExitCode, byte[] Stdout, string Stderr, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last few non-empty stderr lines: what a message should quote.</summary>
    public string StderrTail(int lines = 3)
    {
        var tail = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines);
        var text = string.Join(" | ", tail);
        return text.Length == 0 ? "(no message)" : text;
    }
}
