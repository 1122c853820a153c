using System.Globalization;
using System.Text.Json;
using AvDsl.Dsl.Model;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Reports;

/// <summary>One run as a report shows it: what it sets, how far it got, its logged steps, how its resolved spec differs
/// from the baseline's, the cost model's FLOPs and memory for a step, and the evaluations written into its eval/.</summary>
public sealed record ReportRun(
    string Name,
    string Directory,
    string Status,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<MetricsFile.Line> Metrics,
    IReadOnlyList<SpecChange> Changes,
    StepCostEstimate? Cost,
    IReadOnlyDictionary<string, double> Evaluations)
{
    public const int LastSteps = 10;

    public double FinalLoss => FinalLossOf(Metrics);

    public double MedianStepMs => MedianStepMsOf(Metrics);

    /// <summary>The mean loss of the last <see cref="LastSteps"/> logged steps (one noisy step does not rank a variant);
    /// NaN before the first.</summary>
    public static double FinalLossOf(IReadOnlyList<MetricsFile.Line> metrics) =>
        metrics.Count == 0 ? double.NaN : metrics.TakeLast(LastSteps).Average(m => m.Loss);

    public static double MedianStepMsOf(IReadOnlyList<MetricsFile.Line> metrics)
    {
        var times = metrics.Select(m => m.Values.GetValueOrDefault("step_ms")).Where(t => t > 0).Order().ToList();
        return times.Count == 0 ? double.NaN : times[times.Count / 2];
    }

    /// <summary>Accuracy and retrieval R@1 from every report in <c>&lt;run&gt;/eval/</c>, in percent, by a column name
    /// made of the file's name: keywords-linear, keywords-retrieval first→second R@1.</summary>
    public static IReadOnlyDictionary<string, double> EvaluationsOf(string runDirectory)
    {
        var found = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var folder = Path.Combine(runDirectory, "eval");
        if (!System.IO.Directory.Exists(folder)) return found;
        foreach (var file in System.IO.Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object) continue;
                if (root.TryGetProperty("accuracy", out var accuracy) && accuracy.ValueKind == JsonValueKind.Number)
                    found[$"{stem} acc %"] = 100 * accuracy.GetDouble();
                foreach (var (direction, a, b) in new[] { ("first_to_second", "first", "second"), ("second_to_first", "second", "first") })
                {
                    if (root.TryGetProperty(direction, out var scores) && scores.TryGetProperty("r1", out var r1) && r1.ValueKind == JsonValueKind.Number)
                        found[$"{stem} {Text(root, a)}→{Text(root, b)} R@1 %"] = 100 * r1.GetDouble();
                }
            }
            catch (JsonException)
            {
                // Not an evaluation report (a half-written file, or the user's own): the report lists what it can read.
            }
        }
        return found;
    }

    private static string Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : property;

    public static string Number(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
}
