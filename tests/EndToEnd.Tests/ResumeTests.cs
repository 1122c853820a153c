using System.Diagnostics;
using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>An interrupted run, resumed, logs the very losses of a run that was never interrupted.</summary>
[Collection(nameof(GlobalRandomness))]
public class ResumeTests
{
    private static double[] LoggedLosses(string runDirectory) => File.ReadAllLines(Path.Combine(runDirectory, Trainer.MetricsFileName))
        .Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.GetProperty("loss").GetDouble();
        }).ToArray();

    [Fact]
    public void A_run_on_a_manifest_resumes_with_the_same_batches_and_losses()
    {
        using var temp = new TempFolder();
        var rows = new List<string> { "path,label,split" };
        for (var i = 0; i < 6; i++)
        {
            var wave = Enumerable.Range(0, 16000).Select(t => 0.3f * MathF.Sin(2 * MathF.PI * (180 + 140 * i) * t / 16000f)).ToArray();
            WavFile.WritePcm16(Path.Combine(temp.Path, $"tone{i}.wav"), wave, 16000);
            rows.Add($"tone{i}.wav,tone{i},train");
        }
        var manifest = Path.Combine(temp.Path, "manifest.csv");
        File.WriteAllLines(manifest, rows);
        var config = TinyMaeKeywordsConfig.Default with { Data = new(manifest, "train"), Train = new() { Batch = 2 } };
        var runs = Path.Combine(temp.Path, "runs");
        const int steps = 8; // 6 clips, batch 2: three steps an epoch, so the run spans three epochs

        var full = Trainer.Run(TinyMaeKeywordsSpec.Plan(config), new RunOptions(RunRoot: runs, Steps: steps));
        using var cancel = new CancellationTokenSource();
        var cancelled = Trainer.Run(TinyMaeKeywordsSpec.Plan(config), new RunOptions(RunRoot: runs, Steps: steps),
            onStep: s => { if (s.Step == 4) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(cancelled.Cancelled);
        using (var checkpoint = SafeTensors.Read(cancelled.CheckpointPath))
        {
            Assert.Equal("1", checkpoint.Metadata["data.epoch"]); // 8 clips read: the second epoch, two clips in
            Assert.Equal("2", checkpoint.Metadata["data.index"]);
        }
        var resumed = Trainer.Resume(TinyMaeKeywordsSpec.Plan(config), cancelled.RunDirectory);

        Assert.Equal(full.Steps.Skip(4).Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
        Assert.Equal(LoggedLosses(full.RunDirectory), LoggedLosses(resumed.RunDirectory));
    }

    [Fact]
    public void Eat_tiny_with_its_ema_teacher_repeats_and_resumes_bit_for_bit()
    {
        using var temp = new TempFolder();
        // The generated EatTiny, on synthetic fbank so the test needs no corpus; 4 clones of batch 2.
        var plan = EatTinySpec.Plan(EatTinyConfig.Default with { Train = EatTinyConfig.Default.Train with { Batch = 2 } }) with
        {
            Data = new SyntheticSpectrogramsSource(),
            Epochs = null,
            Steps = 6,
        };
        var runs = Path.Combine(temp.Path, "runs");

        var first = Trainer.Run(plan, new RunOptions(RunRoot: runs));
        var second = Trainer.Run(plan, new RunOptions(RunRoot: runs));
        Assert.Equal(first.Steps.Select(s => s.Loss), second.Steps.Select(s => s.Loss));
        Assert.Equal(first.Steps.Select(s => s.Terms["utterance"]), second.Steps.Select(s => s.Terms["utterance"]));

        using var cancel = new CancellationTokenSource();
        var cancelled = Trainer.Run(plan, new RunOptions(RunRoot: runs), onStep: s => { if (s.Step == 3) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(cancelled.Cancelled);
        // The teacher's copies are part of the checkpoint, so resuming continues with the teacher as it was.
        using (var checkpoint = SafeTensors.Read(cancelled.CheckpointPath))
            Assert.Contains(checkpoint.Tensors.Keys, name => name.StartsWith("teacher.encoder.", StringComparison.Ordinal));
        var resumed = Trainer.Resume(plan, cancelled.RunDirectory);
        Assert.Equal(first.Steps.Skip(3).Select(s => s.Loss), resumed.Steps.Select(s => s.Loss));
    }

    [Fact]
    public async Task The_cli_resumes_a_killed_run_and_logs_the_losses_of_an_uninterrupted_one()
    {
        using var temp = new TempFolder();
        var cli = Path.Combine(AppContext.BaseDirectory, "avdsl.dll");
        var uninterrupted = Path.Combine(temp.Path, "uninterrupted");
        var killed = Path.Combine(temp.Path, "killed");
        const string steps = "40";

        var (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, cli, "train", "TinyMae", "--steps", steps, "--run-dir", uninterrupted);
        Assert.True(exit == 0, output);

        // Kill the second run hard as soon as its first periodic checkpoint (every 5 steps) is on disk.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { cli, "train", "TinyMae", "--steps", steps, "--checkpoint-every", "5", "--run-dir", killed })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            while (!(Directory.Exists(killed) && Directory.EnumerateFiles(killed, "checkpoint-step-*.safetensors").Any()))
            {
                if (process.HasExited)
                    Assert.Fail($"the run ended before its first checkpoint: {await stdout}{await stderr}");
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "no periodic checkpoint within two minutes");
                await Task.Delay(10);
            }
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
        }
        Assert.False(File.Exists(Path.Combine(killed, Trainer.FinalCheckpointName)), "the run finished before it was killed");
        Assert.True(LoggedLosses(killed).Length < 40);

        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, cli, "train", "--resume", killed, "--checkpoint-every", "5");
        Assert.True(exit == 0, output);
        Assert.Contains($"resuming run directory: {killed}", output);
        Assert.True(File.Exists(Path.Combine(killed, Trainer.FinalCheckpointName)));
        Assert.Equal(LoggedLosses(uninterrupted), LoggedLosses(killed));
        var steps1To40 = File.ReadAllLines(Path.Combine(killed, Trainer.MetricsFileName)).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("step_ms", out _));
            return json.RootElement.GetProperty("step").GetInt64();
        });
        Assert.Equal(Enumerable.Range(1, 40).Select(s => (long)s), steps1To40);

        // An edited spec.avml is refused, naming both.
        File.AppendAllText(Path.Combine(killed, Trainer.SpecFileName), "// edited\n");
        File.Delete(Path.Combine(killed, Trainer.FinalCheckpointName));
        (exit, output) = ProcessRunner.Run(temp.Path, "dotnet", null, cli, "train", "TinyMae", "--resume", killed);
        Assert.Equal(1, exit);
        Assert.Contains($"'{Path.Combine(killed, "spec.avml")}' differs from the resolved text of the compiled spec TinyMae", output);
    }
}
