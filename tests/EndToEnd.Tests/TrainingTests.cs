using System.Text.Json;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class TrainingTests
{
    [Fact]
    public void The_compiled_tiny_spec_trains_and_writes_a_complete_run_directory()
    {
        using var temp = new TempFolder();
        var result = Trainer.Run(TinyMaeSpec.Plan(), new RunOptions(RunRoot: temp.Path, Steps: 30));

        Assert.StartsWith(temp.Path, result.RunDirectory);
        Assert.Equal(30, result.Steps.Count);
        var metrics = File.ReadAllLines(Path.Combine(result.RunDirectory, "metrics.jsonl"));
        Assert.Equal(30, metrics.Length);
        using (var first = JsonDocument.Parse(metrics[0]))
        {
            foreach (var key in new[] { "step", "loss", "lr", "step_ms", "recon" }) Assert.True(first.RootElement.TryGetProperty(key, out _), key);
            Assert.Equal(1, first.RootElement.GetProperty("step").GetInt64());
        }
        Assert.Equal(TinyMaeSpec.ResolvedSpec, File.ReadAllText(Path.Combine(result.RunDirectory, "spec.avml")));
        Assert.True(File.Exists(result.CheckpointPath));
        using var checkpoint = SafeTensors.Read(result.CheckpointPath);
        Assert.Contains("encoder.blocks.0.attn.qkv.weight", checkpoint.Tensors.Keys);
        Assert.Equal(TinyMaeSpec.ResolvedSpec, checkpoint.Metadata.Values.Single(v => v.StartsWith("spec TinyMae", StringComparison.Ordinal)));
        // Falling loss: the last steps are clearly below the first ones.
        var start = result.Steps.Take(3).Average(s => s.Loss);
        var end = result.Steps.TakeLast(3).Average(s => s.Loss);
        Assert.True(end < 0.85 * start, $"loss went from {start} to {end}");
    }

    [Fact]
    public void The_registry_lists_every_spec_in_specs()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "specs"), "*.avml").Select(f => Path.GetFileName(f)).OrderBy(f => f).ToList();
        Assert.Equal(files, CompiledSpecs.All.Select(s => Path.GetFileName(s.SourcePath)).Distinct().OrderBy(f => f).ToList());
    }

    [Fact]
    public void A_scheduled_argument_moves_at_every_step_of_a_run()
    {
        using var temp = new TempFolder();
        var plan = TinyMaeCurriculumSpec.Plan();
        var ratios = new List<double>();
        var observed = plan with
        {
            BeforeStep = (model, step, total) =>
            {
                plan.BeforeStep!(model, step, total);
                ratios.Add(((TinyMaeCurriculumModel)model).ViewRandomMask.Ratio);
            },
        };
        Trainer.Run(observed, new RunOptions(RunRoot: temp.Path, Steps: 5));

        // linear(from: 0.5, to: 0.9, over: 0.8): over 4 of the 5 steps, then flat.
        Assert.Equal(new[] { 0.5, 0.6, 0.7, 0.8, 0.9 }, ratios.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void A_bf16_spec_trains_under_autocast()
    {
        using var temp = new TempFolder();
        var plan = TinyMaeBf16Spec.Plan();
        Assert.Equal("bf16", plan.Precision);
        var result = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 3));
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Loss) && s.Loss > 0, $"loss {s.Loss}"));
    }
}
