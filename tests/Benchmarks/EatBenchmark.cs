using System.Globalization;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>
/// The eat mode: spec EatTiny's generated training step (<see cref="AvDslEat"/>) against eat_step.py, side by side
/// (<see cref="SideBySide"/>).
/// </summary>
internal static class EatBenchmark
{
    public static int Run(Options o)
    {
        Console.WriteLine($"EAT-tiny (spec EatTiny): fbank [{o.Batch}, 256, 128] -> 128 patches, dim 192, depth 6, 3 heads, 4 clones, CNN decoder 6 x 192; " +
                          $"{o.Rounds} alternating rounds of {o.Steps} timed steps per side ({o.Warmup} warm-up steps first), PyTorch in one long-running process");
        using var bench = new AvDslEat(o);
        return SideBySide.Run(o, bench, "eat_step.py", ["--threads", $"{o.Threads}", "--batch", $"{o.Batch}"], "generated EatTiny", "eat_step.py");
    }

    /// <summary>Parameter counts and the two loss terms of both sides on one deterministic input (sin of the element index).</summary>
    public static int Check(Options o)
    {
        long[] shape = [o.Batch, 256, 128];
        using var bench = new AvDslEat(o, s =>
        {
            using var scope = new TensorScope();
            var n = s.Aggregate(1L, (a, b) => a * b);
            return scope.MoveToOuter((T.Arange(0.0, n, 1.0) * 0.37).Sin().Reshape(s));
        });
        var (trained, teacher) = bench.ParameterCounts();
        var (frame, utterance) = bench.Loss();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"AvDsl:   trained parameters {trained,9:N0}, teacher {teacher,9:N0}; loss frame {frame,9:F3}, utterance {utterance,9:F3}"));
        if (PythonSide.Run(o.Python, "eat_step.py", ["--threads", $"{o.Threads}", "--batch", $"{o.Batch}", "--check"], quiet: false) is not { } json)
            return 1;
        var (pyTrained, pyTeacher) = (json.GetProperty("trained").GetInt64(), json.GetProperty("teacher").GetInt64());
        var (pyFrame, pyUtterance) = (json.GetProperty("frame").GetDouble(), json.GetProperty("utterance").GetDouble());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PyTorch: trained parameters {pyTrained,9:N0}, teacher {pyTeacher,9:N0}; loss frame {pyFrame,9:F3}, utterance {pyUtterance,9:F3}"));
        // Initial weights differ (each side draws its own), so the losses agree in scale, not in value.
        var sameCounts = trained == pyTrained && teacher == pyTeacher;
        bool Close(double a, double b) => a / b is > 0.67 and < 1.5;
        var sameScale = Close(frame, pyFrame) && Close(utterance, pyUtterance);
        Console.WriteLine($"parameter counts {(sameCounts ? "match" : "DIFFER")}; loss terms {(sameScale ? "agree within a factor 1.5" : "DIFFER in scale")}");
        return sameCounts && sameScale ? 0 : 1;
    }
}
