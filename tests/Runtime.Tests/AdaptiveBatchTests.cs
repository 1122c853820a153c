using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Telemetry;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>A batch that follows the model's own per-clip cost (<c>flops_budget</c>), the learning rate's scaling rule,
/// epochs over a moving batch, and resuming across a batch change.</summary>
public sealed class AdaptiveBatchTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("avdsl-batch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static TrainingPlan Curriculum(long steps, Schedule batch, LearningRateScaling scaling = LearningRateScaling.Linear) =>
        TinyMae.Plan(steps) with
        {
            CreateModel = () => new TinyMae(new LinearSchedule(0.5, 0.9)),
            BatchSchedule = batch,
            BatchSize = (int)Math.Round(batch.At(0, steps)),
            LearningRateScaling = scaling,
        };

    [Fact]
    public void Flops_budget_gives_start_times_the_first_clip_cost_over_the_current_one_within_bounds()
    {
        // A clip costs 100 at the start, 50 at the end, linearly between.
        var cost = new PerSampleCost([0.0, 1.0], [100.0, 50.0]);
        var budget = new FlopsBudgetSchedule(start: 16, max: 30).Following(cost);
        Assert.Equal(16, budget.At(0, 100));
        Assert.Equal(16 * 100 / 75.0, budget.At(50, 100), 12);   // half way a clip costs 75
        Assert.Equal(30, budget.At(100, 100));                   // 32 is held at max
        Assert.Equal(16 * 100 / 87.5, cost.At(25, 100) is var c ? 16 * 100 / c : 0, 12);

        var rising = new FlopsBudgetSchedule(start: 16, max: 30, min: 10).Following(new PerSampleCost([0.0, 1.0], [100.0, 400.0]));
        Assert.Equal(10, rising.At(100, 100));                   // 4 is held at min
        Assert.Throws<InvalidOperationException>(() => new FlopsBudgetSchedule(16, 30).At(5, 10));
    }

    [Fact]
    public void Per_sample_cost_follows_the_masking_curriculum_and_leaves_the_generator_as_it_was()
    {
        using var model = new TinyMae(new LinearSchedule(0.5, 0.9));
        model.Train();
        var plan = TinyMae.Plan(100);
        Torch.Torch.ManualSeed(3);
        var cost = PerSampleCost.Count(model, plan.Features, 100);
        using var after = Torch.Torch.Rand([8]);
        Torch.Torch.ManualSeed(3);
        using var untouched = Torch.Torch.Rand([8]);
        Assert.Equal(untouched.ToArray<float>(), after.ToArray<float>());

        // Counted at 65 steps; each equals a direct count of the model with that step's ratio.
        Assert.Equal(PerSampleCost.Intervals + 1, cost.Points.Count);
        Assert.Equal(Direct(0.5), cost.At(0, 100));
        Assert.Equal(Direct(0.9), cost.At(100, 100));
        Assert.True(cost.Points.Zip(cost.Points.Skip(1)).All(p => p.Second.Flops <= p.First.Flops));

        // Without scheduled arguments one count stands for the run.
        using var fixedModel = new TinyMae();
        fixedModel.Train();
        var flat = PerSampleCost.Count(fixedModel, plan.Features, 100);
        Assert.Single(flat.Points);
        Assert.Equal(Direct(0.75), flat.At(77, 100));
    }

    private static double Direct(double ratio)
    {
        using var scope = new TensorScope();
        using var model = new TinyMae();
        model.Train();
        model.Mask.Ratio = ratio;
        using var batch = new Batch(new Dictionary<string, Tensor> { ["audio"] = Torch.Torch.Randn([1, 256, 128]) });
        using var counter = CostCounter.Start();
        model.Loss(batch);
        return counter.TrainingFlops;
    }

    [Fact]
    public void A_run_on_a_flops_budget_grows_its_batch_scales_its_learning_rate_and_resumes_bit_for_bit_across_a_change()
    {
        const int steps = 10;
        var budget = new FlopsBudgetSchedule(start: 3, max: 8);
        var full = Trainer.Run(Curriculum(steps, budget), new RunOptions(RunRoot: _root));
        var batches = full.Steps.Select(s => s.Batch).ToArray();
        Assert.Equal(3, batches[0]);
        Assert.True(batches[^1] > batches[0], string.Join(",", batches));
        Assert.True(batches.Zip(batches.Skip(1)).All(p => p.Second >= p.First));

        // lr = the schedule's value × batch / first batch (the linear rule).
        var schedule = TinyMae.Plan(steps).LearningRate;
        foreach (var s in full.Steps)
            Assert.Equal(schedule.At(s.Step - 1, steps) * s.Batch / 3.0, s.LearningRate, 15);

        // The batch logged per step.
        var logged = File.ReadAllLines(Path.Combine(full.RunDirectory, Trainer.MetricsFileName))
            .Select(l => { using var j = JsonDocument.Parse(l); return j.RootElement.GetProperty("batch").GetInt32(); });
        Assert.Equal(batches, logged);

        // Cancelled after the batch has changed, then resumed: the same losses, bit for bit.
        var change = Array.FindIndex(batches, b => b != batches[0]);
        var stopAt = change + 2;
        Assert.InRange(stopAt, 2, steps - 1);
        using var cancel = new CancellationTokenSource();
        var cancelled = Trainer.Run(Curriculum(steps, budget), new RunOptions(RunRoot: _root),
            onStep: s => { if (s.Step == stopAt) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(cancelled.Cancelled);
        var resumed = Trainer.Resume(Curriculum(steps, budget), cancelled.RunDirectory);
        Assert.Equal(full.Steps.Skip(stopAt).Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
        Assert.Equal(batches[stopAt..], resumed.Steps.Select(s => s.Batch));
    }

    [Fact]
    public void Epochs_over_a_moving_batch_last_the_fewest_steps_whose_batches_hold_them()
    {
        var batch = new LinearSchedule(4, 12);
        var plan = TinyMae.Plan(1) with { Epochs = 3, BatchSchedule = batch, BatchSize = 4 };
        using var model = new TinyMae();
        var steps = StepBatches.For(plan, model, clips: 50).TotalSteps;

        long Held(long total) => Enumerable.Range(0, (int)total).Sum(t => (long)Math.Round(batch.At(t, total)));
        Assert.True(Held(steps) >= 150);
        Assert.True(Held(steps - 1) < 150);
        Assert.True(Enumerable.Range(1, (int)steps - 1).All(t => Held(t) < 150));
    }

    [Fact]
    public void A_batch_schedule_that_reaches_zero_stops_the_run_naming_the_step()
    {
        var plan = TinyMae.Plan(6) with { BatchSchedule = new LinearSchedule(2, 0), BatchSize = 2 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Run(plan, new RunOptions(RunRoot: _root)));
        Assert.Contains("gives 0 examples at step 5", error.Message);  // 2 − 2·5/6 = 0.33 rounds to 0
    }

    [Theory]
    [InlineData(LearningRateScaling.None, 6, 3, 1.0)]
    [InlineData(LearningRateScaling.Linear, 6, 3, 2.0)]
    [InlineData(LearningRateScaling.Sqrt, 12, 3, 2.0)]
    public void Learning_rate_scaling_rules(LearningRateScaling rule, int batch, int first, double factor) =>
        Assert.Equal(factor, rule.Factor(batch, first), 15);
}
