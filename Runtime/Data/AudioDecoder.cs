namespace AvDsl.Runtime.Data;

/// <summary>
/// Decodes a media file's first audio stream (or a time window of it) to mono float samples at 16 kHz
/// through ffmpeg (-ac 1 -ar 16000 -f f32le). Bad files raise <see cref="InvalidMediaException"/>: missing,
/// empty, no audio stream, truncated (a known container that fails, a WAV whose header promises more data,
/// or a decode with errors much shorter than the container's duration), corrupt, or timed out. ffmpeg runs through
/// <see cref="MediaTool"/> (stdout pipe) rather than FFMpegCore, which measured slower here (see <see cref="MediaTool"/>).
/// </summary>
public static class AudioDecoder
{
    public const int SampleRate = 16000;

    public static float[] Decode(string path, TimeWindow? window = null, TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        window ??= TimeWindow.Whole;
        if (TryReadWav(path, window) is { } direct) return direct;

        // One ffmpeg run on the good path: at -v info its stderr also carries the container's duration. Only a
        // failure pays for ffprobe, whose report tells a missing stream from a cut or unreadable file.
        var result = MediaTool.Run("ffmpeg", Arguments(path, window, "info"), timeout: timeout, cancel: cancel);
        if (!result.Succeeded)
            throw Classify(path, result, cancel);

        var samples = new float[result.Stdout.Length / 4];
        Buffer.BlockCopy(result.Stdout, 0, samples, 0, samples.Length * 4);

        // A container that declares a duration but yields much less audio, with decoder errors, was cut off inside the stream.
        if (MediaTool.DeclaredDuration(result.Stderr) is { } total && DecoderErrors(result.Stderr) is { Length: > 0 } errors)
        {
            var expected = window.End is { } end ? Math.Min(end, total) - window.Start : total - window.Start;
            var decoded = samples.Length / (double)SampleRate;
            if (expected > 0.1 && decoded < 0.9 * expected - 0.05)
                throw MediaFailure.Truncated(path, FormattableString.Invariant(
                    $"the container declares {expected:0.###} s but only {decoded:0.###} s of audio decode ({errors})"));
        }
        return samples;
    }

    private static string[] Arguments(string path, TimeWindow window, string level) =>
        ["-nostdin", "-hide_banner", "-nostats", "-v", level, .. window.InputArguments(), "-i", path,
            "-map", "0:a:0", "-ac", "1", "-ar", SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "f32le", "-"];

    private static InvalidMediaException Classify(string path, MediaToolResult failed, CancellationToken cancel)
    {
        if (failed.TimedOut) return MediaFailure.FromTool(path, "ffmpeg", failed);
        var info = MediaProbe.Probe(path, cancel: cancel); // throws the corrupt/truncated/empty/missing reason itself
        if (info.FirstAudio is null) return MediaFailure.NoStream(path, "audio", info);
        // Probing worked but decoding did not: quote ffmpeg's errors only.
        var errors = MediaTool.Run("ffmpeg", Arguments(path, TimeWindow.Whole, "error"), cancel: cancel);
        return MediaFailure.FromTool(path, "ffmpeg", errors.Succeeded ? failed : errors);
    }

    /// <summary>The decoder's complaints in an -v info log: "[codec @ 0x...]" lines and "Error ..." lines.</summary>
    private static string DecoderErrors(string stderr) => string.Join(" | ", stderr
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(l => l.StartsWith("Error", StringComparison.Ordinal) || (l.StartsWith('[') && l.Contains(" @ 0x", StringComparison.Ordinal)))
        .Take(3));

    /// <summary>
    /// A mono 16 kHz WAV (PCM 16-bit or float) is read directly: ffmpeg would return the very same floats
    /// (a test checks this) at the cost of two processes per clip. Anything else goes through ffmpeg.
    /// </summary>
    private static float[]? TryReadWav(string path, TimeWindow window)
    {
        MediaFailure.ThrowIfMissingOrEmpty(path);
        if (ContainerSignature.Detect(path) != "wav") return null;
        if (ContainerSignature.IsShortWav(path))
            throw MediaFailure.Truncated(path, "its WAVE header promises more sample data than the file holds");
        float[] samples;
        try
        {
            samples = WavFile.Read(path, out var rate, out var channels);
            if (rate != SampleRate || channels != 1) return null;
        }
        catch (InvalidMediaException e) when (e.Reason == BadInputReason.Corrupt)
        {
            return null; // an encoding WavFile does not read (e.g. 24-bit): ffmpeg decides
        }
        var first = (int)Math.Min(samples.Length, Math.Round(window.Start * SampleRate));
        var last = window.End is { } end ? (int)Math.Min(samples.Length, Math.Round(end * SampleRate)) : samples.Length;
        return samples[first..Math.Max(first, last)];
    }
}
