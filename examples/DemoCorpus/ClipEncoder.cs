using System.Globalization;
using AvDsl.Runtime.Data;

namespace AvDsl.Demo;

/// <summary>
/// Encodes demo-corpus clips into mp4 (H.264 + AAC), a batch per ffmpeg run: every clip is one more pair of inputs (its
/// raw RGB24 frames and its WAVE sound) and one more output with its own encoders, so a batch costs one ffmpeg start
/// (dozens of libraries to load, more than encoding a 2 s clip of 128² costs) instead of one per clip. Each output is
/// encoded exactly as a run of its own would encode it: single-threaded, bit-exact encoders and muxer, the same options.
/// </summary>
public static class ClipEncoder
{
    /// <summary>One clip to encode: its frames file (RGB24, <paramref name="Size"/>² at <paramref name="Fps"/>), its WAVE file, the mp4 to write.</summary>
    public sealed record Job(string Frames, string Sound, string Output);

    public static void Encode(IReadOnlyList<Job> jobs, int size, int fps, CancellationToken cancel)
    {
        var arguments = new List<string> { "-nostdin", "-v", "error", "-y" };
        foreach (var job in jobs)
            arguments.AddRange(["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{Invariant(size)}x{Invariant(size)}", "-r", Invariant(fps), "-i", job.Frames,
                "-i", job.Sound]);
        for (var i = 0; i < jobs.Count; i++)
            arguments.AddRange(["-map", $"{2 * i}:v:0", "-map", $"{2 * i + 1}:a:0", .. OutputOptions, jobs[i].Output]);
        var result = MediaTool.Run("ffmpeg", arguments, null, TimeSpan.FromSeconds(60 + 5 * jobs.Count), cancel);
        if (!result.Succeeded)
            throw new InvalidOperationException($"demo corpus: ffmpeg {(result.TimedOut ? "timed out" : $"failed (exit {result.ExitCode})")}: {result.StderrTail()}");
    }

    // Single-threaded, bit-exact encoders: the same frames and sound give byte-identical files.
    private static readonly string[] OutputOptions =
    [
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-threads", "1",
        "-c:a", "aac", "-b:a", "64k", "-ar", "16000", "-ac", "1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1",
        "-shortest",
    ];

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
