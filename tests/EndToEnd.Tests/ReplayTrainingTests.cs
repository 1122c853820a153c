using System.Diagnostics;
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

/// <summary>The CLI killed with SIGKILL in the middle of the third task, then resumed: the same losses as a run never killed,
/// the buffer and the task position restored from the checkpoint.</summary>
[Collection(nameof(GlobalRandomness))]
public class ReplayKillTests
{
    private static double[] Losses(string runDirectory) => File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName))
        .Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("loss").GetDouble();
        }).ToArray();

    [Fact]
    public async Task A_run_killed_in_the_third_task_resumes_with_its_buffer_and_the_losses_of_an_uninterrupted_one()
    {
        using var temp = new TempFolder();
        var manifest = ToneCorpus.ForTasks(temp);
        // Four tasks of one label each, a buffer of three clips: spec TinyMaeKeywordsReplay with the tone corpus as its data.
        var spec = Path.Combine(temp.Path, "tones-replay.avml");
        File.WriteAllText(spec, $$"""
            import "{{Repository.Spec("tiny-mae-keywords-replay.avml")}}"

            spec TonesReplay extends TinyMaeKeywordsReplay {
              memory.size = 3
              train {
                batch: 1
                epochs: 8
              }
              data {
                task first  = manifest(path: "{{manifest}}", labels: ["a"])
                task second = manifest(path: "{{manifest}}", labels: ["b"])
                task third  = manifest(path: "{{manifest}}", labels: ["c"])
                task fourth = manifest(path: "{{manifest}}", labels: ["d"])
                train: [first, second, third, fourth]
              }
            }
            """);
        var cli = Path.Combine(AppContext.BaseDirectory, "avdsl.dll");
        var uninterrupted = Path.Combine(temp.Path, "uninterrupted");
        var killed = Path.Combine(temp.Path, "killed");
        // Eight epochs of two clips at batch 1: sixteen steps a task, 64 in all; the third task is steps 33 to 48, long
        // enough that a loaded machine still sees one of its checkpoints before the next replaces it.
        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, cli, "train", spec, "--run-dir", uninterrupted);
        Assert.True(exit == 0, output);
        Assert.Equal(64, Losses(uninterrupted).Length);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { cli, "train", spec, "--checkpoint-every", "1", "--run-dir", killed })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            bool InThirdTask() => Enumerable.Range(34, 14).Any(step =>
                File.Exists(Path.Combine(killed, Trainer.ReplayFileName(Path.Combine(killed, Trainer.StepCheckpointName(step)), "memory"))));
            while (!InThirdTask())
            {
                if (process.HasExited)
                    Assert.Fail($"the run ended before a checkpoint in its third task: {await stdout}{await stderr}");
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "no checkpoint in the third task within three minutes");
                await Task.Delay(5);
            }
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to write anything more
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
        }
        Assert.False(File.Exists(Path.Combine(killed, Trainer.FinalCheckpointName)), "the run finished before it was killed");
        Assert.True(Losses(killed).Length < 64);

        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, cli, "train", "--resume", killed);
        Assert.True(exit == 0, output);
        Assert.Equal(Losses(uninterrupted), Losses(killed));
        foreach (var stage in new[] { 1, 2, 3, 4 })
            Assert.True(File.Exists(Path.Combine(killed, Trainer.StageCheckpointName(stage))));
    }
}
