using System.Text.Json;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.Runtime.Tests;

public sealed class ResumeTests : IDisposable
{
    private const int Steps = 12;
    private readonly string _root = Directory.CreateTempSubdirectory("avdsl-resume-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static double[] Losses(RunResult run) => run.Steps.Select(s => s.Loss).ToArray();

    private static double[] LoggedLosses(string runDirectory) => File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName))
        .Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("loss").GetDouble();
        }).ToArray();

    private RunResult Cancelled(TrainingPlan plan, int atStep, RunOptions options)
    {
        using var cancel = new CancellationTokenSource();
        var run = Trainer.Run(plan, options, onStep: s => { if (s.Step == atStep) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(run.Cancelled);
        return run;
    }

    [Fact]
    public void A_cancelled_and_resumed_run_repeats_the_uninterrupted_losses_bit_for_bit()
    {
        var full = Trainer.Run(TinyMae.Plan(Steps), new RunOptions(RunRoot: _root));

        var cancelled = Cancelled(TinyMae.Plan(Steps), 5, new RunOptions(RunRoot: _root));
        Assert.EndsWith("checkpoint-step-5.safetensors", cancelled.CheckpointPath);
        var resumed = Trainer.Resume(TinyMae.Plan(Steps), cancelled.RunDirectory);

        Assert.Equal(cancelled.RunDirectory, resumed.RunDirectory);
        Assert.Equal(Enumerable.Range(6, Steps - 5).Select(s => (long)s), resumed.Steps.Select(s => s.Step));
        Assert.Equal(Losses(full)[5..], Losses(resumed)); // exact equality of doubles
        Assert.Equal(LoggedLosses(full.RunDirectory), LoggedLosses(resumed.RunDirectory));
        Assert.Equal(Path.Combine(resumed.RunDirectory, Trainer.FinalCheckpointName), resumed.CheckpointPath);
    }

    [Fact]
    public void Periodic_checkpoints_keep_only_the_newest_and_a_resume_drops_metrics_logged_after_it()
    {
        var every4 = new RunOptions(RunRoot: _root) { CheckpointEvery = CheckpointInterval.Steps(4) };
        var full = Trainer.Run(TinyMae.Plan(Steps), every4);
        // 12 steps, every 4: step 4 is replaced by step 8; step 12 is the final one.
        Assert.Equal(["checkpoint-final.safetensors", "checkpoint-step-8.safetensors"],
            Directory.GetFiles(full.RunDirectory, "*.safetensors").Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFiles(full.RunDirectory, "*.tmp"));

        // A run killed at step 7: its newest checkpoint is step 4, but metrics.jsonl already holds steps 5-7 and half of step 8.
        var killed = Cancelled(TinyMae.Plan(Steps), 4, every4);
        Assert.Equal(["checkpoint-step-4.safetensors"], Directory.GetFiles(killed.RunDirectory, "*.safetensors").Select(Path.GetFileName));
        var metrics = Path.Combine(killed.RunDirectory, Trainer.MetricsFileName);
        var fullLines = File.ReadAllLines(Path.Combine(full.RunDirectory, Trainer.MetricsFileName));
        File.AppendAllText(metrics, string.Concat(fullLines[4..7].Select(l => l + "\n")) + fullLines[7][..20]);

        var resumed = Trainer.Resume(TinyMae.Plan(Steps), killed.RunDirectory, every4);
        Assert.Equal(Losses(full)[4..], Losses(resumed));
        Assert.Equal(LoggedLosses(full.RunDirectory), LoggedLosses(killed.RunDirectory));
        Assert.Equal(["checkpoint-final.safetensors", "checkpoint-step-8.safetensors"],
            Directory.GetFiles(killed.RunDirectory, "*.safetensors").Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_run_resumes_only_with_its_own_spec_seed_and_length_and_only_once()
    {
        var cancelled = Cancelled(TinyMae.Plan(Steps), 2, new RunOptions(RunRoot: _root));
        var directory = cancelled.RunDirectory;

        var edited = TinyMae.Plan(Steps) with { ResolvedSpec = "spec TinyMae { /* edited */ }\n" };
        var error = Assert.Throws<RunNotResumableException>(() => Trainer.Resume(edited, directory));
        Assert.Equal($"The run's '{Path.Combine(directory, "spec.avml")}' differs from the resolved text of the compiled spec TinyMae, so the run cannot resume with it.", error.Message);

        error = Assert.Throws<RunNotResumableException>(() => Trainer.Resume(TinyMae.Plan(Steps, seed: 2), directory));
        Assert.Contains("seed 1", error.Message);
        error = Assert.Throws<RunNotResumableException>(() => Trainer.Resume(TinyMae.Plan(Steps), directory, new RunOptions(Steps: 20)));
        Assert.Contains("12 steps long", error.Message);

        Trainer.Resume(TinyMae.Plan(Steps), directory);
        error = Assert.Throws<RunNotResumableException>(() => Trainer.Resume(TinyMae.Plan(Steps), directory));
        Assert.Contains("already finished", error.Message);
        Assert.Throws<RunNotResumableException>(() => Trainer.Resume(TinyMae.Plan(Steps), Path.Combine(_root, "no-such-run")));
    }

    [Fact]
    public void Checkpoint_intervals_parse_steps_times_and_never()
    {
        Assert.Equal(200, CheckpointInterval.Parse("200").EverySteps);
        Assert.Equal(TimeSpan.FromSeconds(30), CheckpointInterval.Parse("30s").EveryTime);
        Assert.Equal(TimeSpan.FromMinutes(2.5), CheckpointInterval.Parse("2.5m").EveryTime);
        Assert.Equal(TimeSpan.FromHours(1), CheckpointInterval.Parse("1h").EveryTime);
        Assert.Same(CheckpointInterval.Never, CheckpointInterval.Parse("never"));
        Assert.Equal(TimeSpan.FromMinutes(5), CheckpointInterval.Default.EveryTime);
        foreach (var bad in new[] { "0", "-3", "5x", "m", "" })
            Assert.Throws<FormatException>(() => CheckpointInterval.Parse(bad));
        Assert.True(CheckpointInterval.Steps(4).IsDue(8, TimeSpan.Zero));
        Assert.False(CheckpointInterval.Steps(4).IsDue(9, TimeSpan.FromDays(1)));
        Assert.False(CheckpointInterval.Never.IsDue(100, TimeSpan.FromDays(1)));
    }
}
