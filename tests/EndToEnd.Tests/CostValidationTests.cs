using System.Globalization;
using AvDsl.Cli;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;
using Xunit.Abstractions;

namespace AvDsl.EndToEnd.Tests;

[CollectionDefinition(nameof(CostValidation), DisableParallelization = true)]
public sealed class CostValidation;

/// <summary>
/// `avdsl cost` against the clock and the process's memory: a few real training steps of specs of different
/// size, predicted FLOP ratios next to measured step-time ratios, predicted step memory next to measured peak
/// growth. Slow (trains ~30 steps); run with <c>--filter Category=Slow</c>.
/// </summary>
[Collection(nameof(CostValidation))]
public sealed class CostValidationTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Predicted_flop_ratios_follow_measured_step_times_and_memory_is_of_the_right_size()
    {
        // AudioMaeTiny reads a manifest; its cost does not depend on what the clips hold, so synthetic clips of the
        // same shape stand in.
        var plans = new[]
        {
            TinyMaeSpec.Plan(),
            TinyMaeDeepSpec.Plan(),
            AudioMaeTinySpec.Plan() with { Data = new SyntheticSpectrogramsSource(), Epochs = null },
        };
        StepMeasurement.Of(plans[0], steps: 2); // warm-up: first-use allocations of the process are not the spec's
        var results = plans.Select(p => (Estimate: StepCost.Estimate(p), Measured: StepMeasurement.Of(p, steps: 8))).ToList();

        var reference = results[0];
        output.WriteLine("spec                GFLOP/step  flop ratio  step ms  time ratio  GFLOP/s  pred. MB  meas. MB");
        foreach (var (e, m) in results)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{0,-18} {1,11:F3} {2,11:F2} {3,8:F1} {4,11:F2} {5,8:F1} {6,9:F1} {7,9:F1}",
                e.SpecName, e.TrainingFlops / 1e9, (double)e.TrainingFlops / reference.Estimate.TrainingFlops, m.MedianStepMs,
                m.MedianStepMs / reference.Measured.MedianStepMs, e.TrainingFlops / (m.MedianStepMs * 1e6),
                e.TrainingBytes() / 1048576.0, (m.PeakGrowthBytes ?? 0) / 1048576.0));
        }

        // The largest spec must be predicted the most expensive and measured the slowest.
        var (bigE, bigM) = results[^1];
        Assert.True(bigE.TrainingFlops > 3 * reference.Estimate.TrainingFlops);
        Assert.True(bigM.MedianStepMs > reference.Measured.MedianStepMs);
        // Time grows with FLOPs, though less than in proportion at these tiny sizes (fixed per-op overhead).
        var flopRatio = (double)bigE.TrainingFlops / reference.Estimate.TrainingFlops;
        var timeRatio = bigM.MedianStepMs / reference.Measured.MedianStepMs;
        Assert.InRange(timeRatio, flopRatio / 6, flopRatio * 1.5);
    }
}
