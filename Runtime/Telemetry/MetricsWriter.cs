using System.Text.Json;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Telemetry;

/// <summary>
/// Appends one JSON object per step to metrics.jsonl — <c>{"step":1,"loss":…,"lr":…,"step_ms":…,"&lt;term&gt;":…}</c> —
/// in invariant number formatting, flushed after every line so a crash loses at most the current step.
/// Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    private static readonly HashSet<string> Reserved = ["step", "loss", "lr", "step_ms"];
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
            foreach (var (name, value) in record.Terms)
                WriteNumber(writer, Reserved.Contains(name) ? $"term_{name}" : name, value);
            writer.WriteEndObject();
        }
        _stream.WriteByte((byte)'\n');
        _stream.Flush();
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
