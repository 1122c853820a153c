using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>TinyMaeKeywordsReplay (specs/tiny-mae-keywords-replay.avml) on tones in two tasks: the replay buffer fills from the
/// first step, replays from the second, outlives the stage when carried, is saved beside every step checkpoint, and a run
/// stopped anywhere resumes with the losses of one that never stopped — buffer contents included.</summary>
[Collection(nameof(GlobalRandomness))]
public class ReplayTrainingTests
{
    /// <summary>Sixteen one-second tones, labels a–d, half train half test; task "first" is a and b, "second" c and d.</summary>
    private static TrainingPlan Plan(TempFolder temp, StageCarry? carry = null)
    {
        var manifest = ToneCorpus.ForTasks(temp);
        var defaults = TinyMaeKeywordsReplayConfig.Default;
        var config = defaults with
        {
            Data = new() { First = new ManifestSource(manifest, Labels: ["a", "b"]), Second = new ManifestSource(manifest, Labels: ["c", "d"]) },
            Train = defaults.Train with { Batch = 2, Carry = carry ?? StageCarry.All },
            Memory = new() { Size = 3 },
        };
        return TinyMaeKeywordsReplaySpec.Plan(config);
    }

    private static (int Stage, double Loss, double Der)[] Logged(string runDirectory) => File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName))
        .Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("stage").GetInt32(), root.GetProperty("loss").GetDouble(), root.GetProperty("der").GetDouble());
        }).ToArray();

    [Fact]
    public void The_first_step_replays_nothing_and_later_steps_replay_what_the_buffer_holds()
    {
        using var temp = new TempFolder();
        var run = Trainer.Run(Plan(temp), new RunOptions(RunRoot: Path.Combine(temp.Path, "runs")));
        var logged = Logged(run.RunDirectory);
        Assert.Equal(8, logged.Length); // two tasks, two epochs of four clips at batch 2
        Assert.All(logged, l => Assert.True(double.IsFinite(l.Loss)));
        Assert.Equal(0.0, logged[0].Der); // an empty buffer: the penalty over no samples is 0, not NaN
        Assert.All(logged.Skip(1), l => Assert.True(l.Der > 0, $"der {l.Der}"));
    }

    [Fact]
    public void A_stage_that_does_not_carry_the_buffer_starts_with_it_empty()
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        var carried = Logged(Trainer.Run(Plan(temp), new RunOptions(RunRoot: runs)).RunDirectory);
        var emptied = Logged(Trainer.Run(Plan(temp, new StageCarry(Model: true, Optimizer: true, Buffer: false)), new RunOptions(RunRoot: runs)).RunDirectory);
        Assert.Equal(carried.Take(4), emptied.Take(4));
        Assert.True(carried[4].Der > 0);
        Assert.Equal(0.0, emptied[4].Der);
        Assert.True(emptied[5].Der > 0);
    }

    [Theory]
    [InlineData(3)] // inside the first task, the buffer partly filled
    [InlineData(4)] // at the end of the first task
    [InlineData(6)] // inside the second
    public void A_stopped_run_resumes_with_the_buffer_it_had_and_the_losses_of_an_uninterrupted_one(int stopAfter)
    {
        using var temp = new TempFolder();
        var runs = Path.Combine(temp.Path, "runs");
        var plan = Plan(temp);
        var full = Trainer.Run(plan, new RunOptions(RunRoot: runs));
        using var cancel = new CancellationTokenSource();
        var stopped = Trainer.Run(plan, new RunOptions(RunRoot: runs), onStep: s => { if (s.Step == stopAfter) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(stopped.Cancelled);
        Assert.True(File.Exists(Trainer.ReplayFileName(stopped.CheckpointPath, "memory")));

        var resumed = Trainer.Resume(plan, stopped.RunDirectory);
        Assert.Equal(Logged(full.RunDirectory), Logged(resumed.RunDirectory));
    }

    [Fact]
    public void A_damaged_or_missing_buffer_file_stops_the_resume_and_says_which()
    {
        using var temp = new TempFolder();
        var plan = Plan(temp);
        using var cancel = new CancellationTokenSource();
        var stopped = Trainer.Run(plan, new RunOptions(RunRoot: Path.Combine(temp.Path, "runs")), onStep: s => { if (s.Step == 3) cancel.Cancel(); }, cancel: cancel.Token);
        var buffer = Trainer.ReplayFileName(stopped.CheckpointPath, "memory");
        var bytes = File.ReadAllBytes(buffer);
        File.WriteAllBytes(buffer, bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<ReplayBufferFileException>(() => Trainer.Resume(plan, stopped.RunDirectory));
        Assert.Contains(Path.GetFileName(buffer), truncated.Message);

        File.Delete(buffer);
        var missing = Assert.Throws<RunNotResumableException>(() => Trainer.Resume(plan, stopped.RunDirectory));
        Assert.Contains("has no replay buffer file 'checkpoint-step-3.replay-memory.safetensors'", missing.Message);
    }
}
