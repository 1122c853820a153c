using System.Globalization;
using System.Text.Json;

namespace AvDsl.Runtime.Data;

/// <summary>ffprobe: container format, duration and streams of a media file; bad files raise <see cref="InvalidMediaException"/> with the reason.
/// Run through <see cref="MediaTool"/> rather than FFMpegCore's FFProbe: see there why.</summary>
public static class MediaProbe
{
    public static MediaInfo Probe(string path, TimeSpan? timeout = null, CancellationToken cancel = default)
    {
        MediaFailure.ThrowIfMissingOrEmpty(path);
        var result = MediaTool.Run("ffprobe",
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path],
            timeout: timeout ?? TimeSpan.FromSeconds(30), cancel: cancel);
        if (!result.Succeeded)
            throw MediaFailure.FromTool(path, "ffprobe", result);
        try
        {
            return Parse(path, result.Stdout);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: ffprobe's report could not be read ({e.Message}).", e);
        }
    }

    private static MediaInfo Parse(string path, byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var streams = new List<MediaStreamInfo>();
        if (root.TryGetProperty("streams", out var list))
        {
            foreach (var s in list.EnumerateArray())
            {
                var kind = Text(s, "codec_type") ?? "unknown";
                streams.Add(new MediaStreamInfo(
                    s.GetProperty("index").GetInt32(), kind, Text(s, "codec_name") ?? "unknown", Number(s, "duration"),
                    SampleRate: (int?)Number(s, "sample_rate"),
                    Channels: s.TryGetProperty("channels", out var c) ? c.GetInt32() : null,
                    Width: s.TryGetProperty("width", out var w) ? w.GetInt32() : null,
                    Height: s.TryGetProperty("height", out var h) ? h.GetInt32() : null,
                    FrameRate: kind == "video" ? Rate(Text(s, "avg_frame_rate")) ?? Rate(Text(s, "r_frame_rate")) : null));
            }
        }
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object ? Text(format, "format_name") ?? "unknown" : "unknown";
        var duration = format.ValueKind == JsonValueKind.Object ? Number(format, "duration") : null;
        return new MediaInfo(path, formatName, duration, streams);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) =>
        Text(e, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static double? Rate(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('/');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && n > 0)
            return n / d;
        return null;
    }
}
