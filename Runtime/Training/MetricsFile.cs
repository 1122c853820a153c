using System.Globalization;
using System.Text.Json;

namespace AvDsl.Runtime.Training;

/// <summary>A metrics.jsonl read back (<see cref="MetricsWriter"/>'s lines): each step's numbers by field name, "NaN" and
/// the infinities as doubles. A last line cut short by a kill is left out; any other bad line is an error naming it.</summary>
public static class MetricsFile
{
    /// <summary>One logged step: its number and every numeric field.</summary>
    public sealed record Line(long Step, IReadOnlyDictionary<string, double> Values)
    {
        public double Loss => Values.TryGetValue("loss", out var loss) ? loss : double.NaN;
    }

    /// <exception cref="InvalidDataException">A line other than the last is not a step's JSON object.</exception>
    public static IReadOnlyList<Line> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var steps = new List<Line>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                steps.Add(Parse(lines[i]));
            }
            catch (Exception error) when (error is JsonException or InvalidDataException)
            {
                if (i == lines.Length - 1) break; // written while the process died
                throw new InvalidDataException($"{path}:{i + 1}: not a step of metrics.jsonl ({error.Message}).", error);
            }
        }
        return steps;
    }

    private static Line Parse(string text)
    {
        using var json = JsonDocument.Parse(text);
        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("step", out var step) || !step.TryGetInt64(out var number))
            throw new InvalidDataException("no \"step\"");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number)
                values[property.Name] = property.Value.GetDouble();
            else if (property.Value.ValueKind == JsonValueKind.String
                     && double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var special))
                values[property.Name] = special;
        }
        return new Line(number, values);
    }
}
