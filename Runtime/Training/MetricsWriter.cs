using System.Text.Json;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Training;

/// <summary>
/// Appends one JSON object per step to metrics.jsonl — <c>{"step":1,"loss":…,"lr":…,"step_ms":…,"data_ms":…,"batch":…,"&lt;term&gt;":…}</c> (and <c>"flops"</c> when counted, <c>"stage"</c> in a sequence of tasks, <c>"comm_ms"</c> in a data-parallel run, <c>"skipped":1</c> on a step whose update <c>non_finite: skip</c> skipped)<c></c> —
/// in invariant number formatting, flushed after every line so a crash loses at most the current step.
/// Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    private static readonly HashSet<string> Reserved = ["step", "loss", "lr", "step_ms", "data_ms", "comm_ms", "batch", "flops", "stage", "skipped"];
    private readonly FileStream _stream;

    public MetricsWriter(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public string Path { get; }

    public void Write(StepRecord record)
    {
        using (var writer = new Utf8JsonWriter(_stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("step", record.Step);
            WriteNumber(writer, "loss", record.Loss);
            WriteNumber(writer, "lr", record.LearningRate);
            WriteNumber(writer, "step_ms", Math.Round(record.StepMs, 3));
            WriteNumber(writer, "data_ms", Math.Round(record.DataMs, 3));
            if (record.CommunicationMs > 0) WriteNumber(writer, "comm_ms", Math.Round(record.CommunicationMs, 3));
            if (record.Batch > 0) writer.WriteNumber("batch", record.Batch);
            if (record.Flops is { } flops) writer.WriteNumber("flops", flops);
            if (record.Stage > 0) writer.WriteNumber("stage", record.Stage);
            if (record.Skipped) writer.WriteNumber("skipped", 1);
            foreach (var (name, value) in record.Terms)
                WriteNumber(writer, TermField(name), value);
            writer.WriteEndObject();
        }
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
    }

    /// <summary>
    /// Keeps the lines of steps 1..<paramref name="step"/> and drops the rest — what a run killed after its last
    /// checkpoint logged beyond it, including a half-written last line — so a resumed run appends where the
    /// checkpoint stands. Rewrites the file atomically, and only when something is dropped; a missing file is left missing.
    /// </summary>
    public static void TruncateAfter(string path, long step)
    {
        if (!File.Exists(path))
            return;
        var text = File.ReadAllText(path);
        var kept = 0;
        while (kept < text.Length)
        {
            var end = text.IndexOf('\n', kept);
            if (end < 0 || LineStep(text.AsSpan(kept, end - kept)) is not { } lineStep || lineStep > step)
                break;
            kept = end + 1;
        }
        if (kept == text.Length)
            return;
        AtomicFile.Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text[..kept])));
    }

    /// <summary>The field a loss term is logged under: its name, or <c>term_</c> and its name where that is one of the fixed fields.</summary>
    public static string TermField(string term) => Reserved.Contains(term) ? $"term_{term}" : term;

    private static long? LineStep(ReadOnlySpan<char> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToString());
            return document.RootElement.TryGetProperty("step", out var step) && step.TryGetInt64(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumber(name, value);
        else
            writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    public void Dispose() => _stream.Dispose();
}
