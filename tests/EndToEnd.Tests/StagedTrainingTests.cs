using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>A run over a sequence of tasks: each stage reads only its own clips, leaves a checkpoint of the model after it, and an
/// interrupted run — inside a stage or right at a stage's end — resumes with the losses of an uninterrupted one.</summary>
[Collection(nameof(GlobalRandomness))]
public class StagedTrainingTests
{
    /// <summary>Eight one-second tones, two per label a, b, c, d (four train, the rest test), and a plan of TinyMaeKeywords whose
    /// stages are task "low" (a, b) then task "high" (c, d).</summary>
    private static TrainingPlan Plan(TempFolder temp, StageCarry? carry = null, bool together = false)
    {
        var manifest = ToneCorpus.ForTasks(temp);
        var low = new DataTask("low", new ManifestSource(manifest, Labels: ["a", "b"]));
        var high = new DataTask("high", new ManifestSource(manifest, Labels: ["c", "d"]));
        TrainingStage[] stages = together ? [new([low, high])] : [new([low]), new([high])];
        var config = TinyMaeKeywordsConfig.Default with { Train = TinyMaeKeywordsConfig.Default.Train with { Batch = 2 } };
        return TinyMaeKeywordsSpec.Plan(config) with { Data = stages[0], Tasks = [low, high], Stages = stages, Carry = carry ?? StageCarry.All, Epochs = 2 };
    }

    private static (long Step, int Stage, double Loss)[] Logged(string runDirectory) => File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName))
        .Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("step").GetInt64(), json.RootElement.GetProperty("stage").GetInt32(), json.RootElement.GetProperty("loss").GetDouble());
        }).ToArray();

    [Fact]
    public void Stages_train_in_turn_each_on_its_own_clips_and_leave_a_checkpoint_each()
    {
        using var temp = new TempFolder();
        var plan = Plan(temp);
        // Epochs count per stage: two epochs of the stage's four clips at batch 2 are four steps.
        Assert.Equal(new long[] { 4, 4 }, StageSteps.For(plan).Lengths);

        var run = Trainer.Run(plan, new RunOptions(RunRoot: Path.Combine(temp.Path, "runs")));

        Assert.Equal(8, run.Steps.Count);
        Assert.Equal(new[] { 1, 1, 1, 1, 2, 2, 2, 2 }, Logged(run.RunDirectory).Select(l => l.Stage));
        foreach (var stage in new[] { 1, 2 })
        {
            var metadata = Checkpoint.ReadMetadata(Path.Combine(run.RunDirectory, Trainer.StageCheckpointName(stage)));
            Assert.Equal((4 * stage).ToString(), metadata["step"]);
        }
        Assert.True(File.Exists(Path.Combine(run.RunDirectory, Trainer.FinalCheckpointName)));
    }

    [Fact]
    public void The_multitask_stage_reads_every_task_clips()
    {
        using var temp = new TempFolder();
        var plan = Plan(temp, together: true);
        Assert.Equal(new long[] { 8 }, StageSteps.For(plan).Lengths); // two epochs of eight clips
        using var data = plan.Stages[0].Open(plan.Features, plan.Seed, DataShard.Whole);
        Assert.Equal(8, data.Count);
        Assert.Equal("low+high", plan.Stages[0].Name);
    }

    [Theory]
    [InlineData(3)] // inside the first stage
    [InlineData(4)] // right at its end: the second stage reads afresh
    [InlineData(6)] // inside the second stage
    public void An_interrupted_run_resumes_with_the_losses_of_an_uninterrupted_one(int stopAfter)
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        foreach (var carry in new[] { StageCarry.All, new StageCarry(Model: false, Optimizer: false, Buffer: false) })
        {
            var plan = Plan(temp, carry);
            var full = Trainer.Run(plan, new RunOptions(RunRoot: runs));
            using var cancel = new CancellationTokenSource();
            var cancelled = Trainer.Run(plan, new RunOptions(RunRoot: runs), onStep: s => { if (s.Step == stopAfter) cancel.Cancel(); }, cancel: cancel.Token);
            Assert.True(cancelled.Cancelled);
            var resumed = Trainer.Resume(plan, cancelled.RunDirectory);

            Assert.Equal(full.Steps.Skip(stopAfter).Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
            Assert.Equal(Logged(full.RunDirectory), Logged(resumed.RunDirectory));
            Assert.True(File.Exists(Path.Combine(resumed.RunDirectory, Trainer.StageCheckpointName(2))));
        }
    }

    [Fact]
    public void A_stage_that_carries_nothing_trains_other_weights_than_one_that_carries_them()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        var fresh = Trainer.Run(Plan(temp, new StageCarry(Model: false, Optimizer: false, Buffer: false)), new RunOptions(RunRoot: runs));
        var carried = Trainer.Run(Plan(temp), new RunOptions(RunRoot: runs));
        // The first stage is the same run; the second starts from other weights and moments, so its first loss differs.
        Assert.Equal(carried.Steps.Take(4).Select(s => s.Loss), fresh.Steps.Take(4).Select(s => s.Loss));
        Assert.NotEqual(carried.Steps[4].Loss, fresh.Steps[4].Loss);
    }
}
