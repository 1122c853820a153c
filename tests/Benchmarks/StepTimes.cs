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

    /// <summary>This process's minor page faults so far (field 10 of /proc/self/stat), or 0 where there is no procfs.</summary>
    public static long MinorFaults()
    {
        if (!File.Exists("/proc/self/stat")) return 0;
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // fields from 3 (state) on; the name may hold spaces
        return long.Parse(fields[10 - 3], CultureInfo.InvariantCulture);
    }

    public static void Report(string name, IReadOnlyList<double> times) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-32} median {Median(times),8:F1} ms  min {times.Min(),8:F1} ms  max {times.Max(),8:F1} ms  ({times.Count} steps)"));
}
