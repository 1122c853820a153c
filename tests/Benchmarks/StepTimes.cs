using System.Globalization;

namespace AvDsl.Benchmarks;

/// <summary>Summaries of per-step times in milliseconds.</summary>
internal static class StepTimes
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static void Report(string name, IReadOnlyList<double> times) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-32} median {Median(times),8:F1} ms  min {times.Min(),8:F1} ms  max {times.Max(),8:F1} ms  ({times.Count} steps)"));
}
