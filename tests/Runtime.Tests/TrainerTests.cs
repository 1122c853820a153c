using System.Globalization;
using System.Text.Json;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using Xunit.Abstractions;

namespace AvDsl.Runtime.Tests;

public sealed class TrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("avdsl-runs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Tiny_mae_trains_logs_checkpoints_and_repeats_exactly()
    {
        const int steps = 20;
        var directories = new List<string>();
        var first = Trainer.Run(TinyMae.Plan(steps), new RunOptions(RunRoot: _root), onRunDirectory: directories.Add);
        foreach (var s in first.Steps)
            output.WriteLine(FormattableString.Invariant($"step {s.Step} loss {s.Loss:F4} lr {s.LearningRate:E2} {s.StepMs:F0} ms"));

        // Run directory and files
        Assert.Equal([first.RunDirectory], directories);
        Assert.StartsWith(Path.Combine(_root, "tiny-mae-"), first.RunDirectory);
        Assert.Equal("spec TinyMae { /* hand-built test model */ }\n", File.ReadAllText(Path.Combine(first.RunDirectory, "spec.avml")));
        Assert.Equal(Path.Combine(first.RunDirectory, "checkpoint-final.safetensors"), first.CheckpointPath);
        Assert.Empty(Directory.GetFiles(first.RunDirectory, "*.tmp"));

        // metrics.jsonl: one line per step
        var lines = File.ReadAllLines(Path.Combine(first.RunDirectory, "metrics.jsonl"));
        Assert.Equal(steps, lines.Length);
        for (var i = 0; i < steps; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var root = line.RootElement;
            Assert.Equal(i + 1, root.GetProperty("step").GetInt64());
            Assert.Equal(first.Steps[i].Loss, root.GetProperty("loss").GetDouble());
            Assert.Equal(new WarmupCosineSchedule(2e-3, 5).At(i, steps), root.GetProperty("lr").GetDouble());
            Assert.True(root.GetProperty("step_ms").GetDouble() > 0);
            var dataMs = root.GetProperty("data_ms").GetDouble(); // part of the step's time
            Assert.InRange(dataMs, 0, root.GetProperty("step_ms").GetDouble());
            Assert.Equal(first.Steps[i].Loss, root.GetProperty("reconstruction").GetDouble());
        }

        // It learns: the mean of the last three losses is clearly below the first, and below ~1.0, which is what
        // predicting zero scores on standardised patches — so it learned structure, not just to shrink its output.
        var start = first.Steps[0].Loss;
        var end = first.Steps.TakeLast(3).Average(s => s.Loss);
        Assert.True(end < 0.85 * start, $"loss went from {start} to {end}");
        Assert.True(end < 0.97, $"loss ended at {end}, no better than predicting zero");

        // Checkpoint: model, optimizer moments, metadata
        using (var checkpoint = SafeTensors.Read(first.CheckpointPath))
        {
            Assert.Contains("encoder.blocks.0.attn.qkv.weight", checkpoint.Tensors.Keys);
            Assert.Contains("decoder.pos.embedding", checkpoint.Tensors.Keys);
            Assert.Contains("optimizer.decoder.mask_token.exp_avg", checkpoint.Tensors.Keys);
            Assert.Contains("optimizer.encoder.blocks.0.attn.qkv.weight.exp_avg_sq", checkpoint.Tensors.Keys);
            Assert.Equal(steps.ToString(CultureInfo.InvariantCulture), checkpoint.Metadata["step"]);
            Assert.Equal("TinyMae", checkpoint.Metadata["spec_name"]);
            Assert.Contains("hand-built test model", checkpoint.Metadata["spec"]);

            // and it loads back into a fresh model
            using var fresh = new TinyMae();
            Assert.Equal(DType.UInt8, checkpoint.Tensors[Checkpoint.RngStateKey].DType);
            Assert.Equal(steps.ToString(CultureInfo.InvariantCulture), checkpoint.Metadata["optimizer.step"]);
            var modelState = checkpoint.Tensors.Where(kv => !kv.Key.StartsWith("optimizer.", StringComparison.Ordinal) && kv.Key != Checkpoint.RngStateKey)
                .ToDictionary(kv => kv.Key, kv => kv.Value);
            fresh.LoadStateDict(modelState);
        }

        // Same seed, same numbers.
        var second = Trainer.Run(TinyMae.Plan(steps), new RunOptions(RunRoot: _root));
        Assert.NotEqual(first.RunDirectory, second.RunDirectory);
        Assert.Equal(first.Steps.Select(s => s.Loss), second.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void Training_leaks_no_tensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Tensor.LiveCount;
        Trainer.Run(TinyMae.Plan(3), new RunOptions(RunRoot: _root));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(baseline, Tensor.LiveCount);
    }

    [Fact]
    public void Cancelling_stops_early_and_names_the_checkpoint_after_the_step()
    {
        using var cancel = new CancellationTokenSource();
        var result = Trainer.Run(TinyMae.Plan(10), new RunOptions(RunRoot: _root),
            onStep: s => { if (s.Step == 2) cancel.Cancel(); }, cancel: cancel.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(2, result.Steps.Count);
        Assert.EndsWith("checkpoint-step-2.safetensors", result.CheckpointPath);
        Assert.True(File.Exists(result.CheckpointPath));
    }

    [Fact]
    public void An_explicit_run_directory_that_holds_files_is_refused()
    {
        var occupied = Path.Combine(_root, "occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "notes.txt"), "mine");
        Assert.Throws<IOException>(() => Trainer.Run(TinyMae.Plan(1), new RunOptions(RunDirectory: occupied)));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(occupied, "notes.txt")));
    }

    [Fact]
    public void Run_directories_with_the_same_timestamp_get_a_suffix()
    {
        var now = new DateTime(2025, 1, 2, 3, 4, 5);
        var a = RunDirectory.Create(_root, "EatTiny", now: now);
        var b = RunDirectory.Create(_root, "EatTiny", now: now);
        Assert.Equal(Path.Combine(_root, "eat-tiny-20250102-030405"), a);
        Assert.Equal(a + "-2", b);
    }
}
