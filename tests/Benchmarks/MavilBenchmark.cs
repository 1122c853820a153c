using System.Globalization;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Benchmarks;

/// <summary>
/// The mavil mode: spec MavilTiny's generated training step (<see cref="AvDslMavil"/>) against mavil_step.py, side by
/// side (<see cref="SideBySide"/>); with --check, parameter counts, loss scale and the cost model's FLOPs instead.
/// </summary>
internal static class MavilBenchmark
{
    /// <summary>How far `avdsl cost`'s forward FLOPs may be from the count of the operators PyTorch ran.</summary>
    private const double FlopTolerance = 0.10;

    public static int Run(Options o)
    {
        Console.WriteLine($"MAViL-tiny (spec MavilTiny): fbank [{o.Batch}, 256, 128] -> 128 patches (mask {AvDsl.Specs.MavilTinyConfig.Default.ARatio}), video [{o.Batch}, 3, 8, 64, 64] -> 64 tubelets (mask {AvDsl.Specs.MavilTinyConfig.Default.VRatio}); " +
                          "dim 192, 4 + 4 blocks, 1 fusion block, 3 heads; MAE decoders 2 x 128; 2 reconstruction + 3 InfoNCE terms (second masked views); " +
                          $"{o.Rounds} alternating rounds of {o.Steps} timed steps per side ({o.Warmup} warm-up steps first), PyTorch in one long-running process");
        using var bench = new AvDslMavil(o);
        return SideBySide.Run(o, bench, "mavil_step.py", ["--threads", $"{o.Threads}", "--batch", $"{o.Batch}"], "generated MavilTiny", "mavil_step.py");
    }

    /// <summary>
    /// Both sides on one deterministic input (sin of the element index): trained parameter counts (must be equal), the
    /// five loss terms (must agree in scale; initial weights and masks differ), and `avdsl cost`'s FLOPs per step
    /// (<see cref="StepCost"/>) against the matrix-product FLOPs of the aten operators mavil_step.py dispatched in one
    /// forward and one backward pass (forward must agree within 10%).
    /// </summary>
    public static int Check(Options o)
    {
        using var bench = new AvDslMavil(o, s =>
        {
            using var scope = new TensorScope();
            var n = s.Aggregate(1L, (a, b) => a * b);
            return scope.MoveToOuter((T.Arange(0.0, n, 1.0) * 0.37).Sin().Reshape(s));
        });
        var trained = bench.TrainedParameters;
        var terms = bench.Loss();
        var cost = StepCost.Estimate(bench.Plan);
        if (PythonSide.Run(o.Python, "mavil_step.py", ["--threads", $"{o.Threads}", "--batch", $"{o.Batch}", "--check"], quiet: false) is not { } json)
            return 1;
        var pyTrained = json.GetProperty("trained").GetInt64();
        var pyTerms = json.GetProperty("terms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        var (pyForward, pyBackward) = (json.GetProperty("forward_flops").GetInt64(), json.GetProperty("backward_flops").GetInt64());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"",-28} {"AvDsl",14} {"PyTorch",14} {"ratio",7}"));
        void Row(string what, double a, double p, string format) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-28} {a.ToString(format, CultureInfo.InvariantCulture),14} {p.ToString(format, CultureInfo.InvariantCulture),14} {a / p,7:F3}"));
        Row("trained parameters", trained, pyTrained, "N0");
        foreach (var (name, value) in terms)
            Row($"loss {name}", value, pyTerms[name], "F4");
        Row("GFLOP forward", cost.ForwardFlops / 1e9, pyForward / 1e9, "F3");
        Row("GFLOP forward + backward", cost.TrainingFlops / 1e9, (pyForward + pyBackward) / 1e9, "F3");
        Console.WriteLine("(AvDsl's FLOPs: `avdsl cost`, one batch-1 pass scaled to the batch; PyTorch's: shapes of the mm, addmm, bmm, " +
                          "convolution and fused-attention calls it dispatched on the whole batch)");

        var sameCounts = trained == pyTrained;
        // Initial weights and masks differ (each side draws its own), so the losses agree in scale, not in value. The
        // contrastive terms sit near λ·ln B at initialisation, the reconstruction terms near 1 (normalised targets).
        bool Close(double a, double b) => a / b is > 0.67 and < 1.5;
        var sameScale = terms.Keys.Order().SequenceEqual(pyTerms.Keys.Order()) && terms.All(t => Close(t.Value, pyTerms[t.Key]));
        var flopError = Math.Abs((double)cost.ForwardFlops / pyForward - 1);
        var flopsAgree = flopError <= FlopTolerance;
        Console.WriteLine($"parameter counts {(sameCounts ? "match" : "DIFFER")}; loss terms {(sameScale ? "agree within a factor 1.5" : "DIFFER in scale")}; " +
                          string.Create(CultureInfo.InvariantCulture, $"forward FLOPs {(flopsAgree ? "agree" : "DIFFER")} ({flopError:P2} apart, tolerance {FlopTolerance:P0})"));
        return sameCounts && sameScale && flopsAgree ? 0 : 1;
    }
}
