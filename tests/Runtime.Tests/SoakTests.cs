using System.Diagnostics;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using Xunit.Abstractions;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Lifetimes under load: a long training run must not leak tensors or memory.</summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public void Two_thousand_training_steps_keep_live_tensors_flat_and_rss_within_five_percent()
    {
        const int steps = 2000, warmUp = 200;
        T.ManualSeed(51);
        using var model = new Transformer(dim: 32, depth: 2, heads: 4, dropPath: 0.1);
        using var head = new Linear(32, 8);
        using var optimizer = new AdamW(model.NamedParameters().Concat(head.NamedParameters().Select(p => new KeyValuePair<string, Parameter>("head." + p.Key, p.Value))),
            1e-3, new OptimizerSettings(Betas: [0.9, 0.999], WeightDecay: 0.05));
        var schedule = new WarmupCosineSchedule(1e-3, 100);
        long liveAfterWarmUp = 0, rssAfterWarmUp = 0;
        var clock = Stopwatch.StartNew();
        for (var step = 0; step < steps; step++)
        {
            using (var scope = new TensorScope())
            {
                optimizer.LearningRate = schedule.At(step, steps);
                var x = T.Randn(8, 16, 32);
                var target = T.Randint(0, 8, [8]);
                var logits = head.Forward(model.Forward(x).Mean(1));
                var loss = Functional.CrossEntropy(logits, target);
                optimizer.ZeroGrad();
                loss.Backward();
                GradientClipping.ClipByGlobalNorm(optimizer.State.Select(s => (Tensor)s.Parameter), 1.0);
                optimizer.Step();
                _ = loss.Item<float>();
            }
            if ((step + 1) % 500 == 0)
                output.WriteLine($"step {step + 1}: RSS {Measure().Rss / 1e6:F1} MB");
            if (step == warmUp - 1)
            {
                (liveAfterWarmUp, rssAfterWarmUp) = Measure();
            }
        }
        var (live, rss) = Measure();
        output.WriteLine($"{steps} steps in {clock.Elapsed.TotalSeconds:F1} s; live tensors {liveAfterWarmUp} → {live}; RSS {rssAfterWarmUp / 1e6:F1} MB → {rss / 1e6:F1} MB");
        Assert.Equal(liveAfterWarmUp, live);
        Assert.True(rss < rssAfterWarmUp * 1.05, $"RSS grew from {rssAfterWarmUp / 1e6:F1} MB to {rss / 1e6:F1} MB after warm-up");
    }

    private static (long Live, long Rss) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (Tensor.LiveCount, process.WorkingSet64);
    }
}
