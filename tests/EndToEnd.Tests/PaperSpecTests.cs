using System.Diagnostics;
using System.Globalization;
using AvDsl.Cli;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;
using Xunit.Abstractions;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// The paper-size specs are known to run, not only to compile: one training step each, at batch 1 on synthetic
/// fbank of the paper's shape (ViT-B with EAT's 16 clones and its teacher; Audio-MAE's ViT-B), and MAViL's two ViT-Bs,
/// fusion and decoders at batch 2 on random audio and video of the paper's shapes, and STELLA's ViT-B CAV-MAE with and
/// without STELLA at batch 2 (two steps, so that STELLA's second replays the first's clips). Slow: run with
/// <c>./avdsl test --filter Category=Slow</c>.
/// </summary>
[Collection(nameof(GlobalRandomness))]
public sealed class PaperSpecTests(ITestOutputHelper output)
{
    public static TheoryData<string> PaperSpecs => new() { "Eat", "AudioMae" };

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(PaperSpecs))]
    public void A_paper_size_spec_trains_one_step(string name)
    {
        using var temp = new TempFolder();
        var plan = CompiledSpecs.All.Single(s => s.Name == name).Plan() with
        {
            Data = new SyntheticSpectrogramsSource(),
            BatchSize = 1,
            BatchSchedule = null,
            Epochs = null,
            Steps = 1,
            Precision = Precision.Fp32, // bf16 autocast is exercised by TinyMaeBf16; here the point is that the model runs
        };
        var result = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 1) { CheckpointEvery = CheckpointInterval.Never });
        var step = Assert.Single(result.Steps);
        Assert.True(double.IsFinite(step.Loss) && step.Loss > 0, $"{name}: loss {step.Loss}");
        Assert.True(File.Exists(result.CheckpointPath));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Mavil_at_paper_size_trains_one_step_on_audio_and_video()
    {
        using var temp = new TempFolder();
        var plan = MavilSpec.Plan() with
        {
            Data = new RandomInputs(), // fbank [1024, 128] and frames [3, 8, 224, 224], as the spec's inputs give them
            BatchSize = 2,             // 2 pairs: the smallest batch the InfoNCE terms have a negative in
            BatchSchedule = null,
            Epochs = null,
            Steps = 1,
            Precision = Precision.Fp32,
        };
        Assert.Equal([[1024, 128], [3, 8, 224, 224]], plan.Features.Select(f => f.SampleShape));
        GC.Collect();
        ProcessMemory.ResetPeak();
        var before = ProcessMemory.Resident;
        var clock = Stopwatch.StartNew();

        var result = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 1) { CheckpointEvery = CheckpointInterval.Never });

        var step = Assert.Single(result.Steps);
        Assert.True(double.IsFinite(step.Loss) && step.Loss > 0, $"Mavil: loss {step.Loss}");
        Assert.Equal(["a_intra", "a_recon", "inter", "v_intra", "v_recon"], step.Terms.Keys.Order());
        Assert.All(step.Terms.Values, term => Assert.True(double.IsFinite(term) && term > 0, $"a loss term is {term}"));
        Assert.True(File.Exists(result.CheckpointPath));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Mavil, batch 2: step {step.StepMs / 1000:F1} s, run with model build and checkpoint {clock.Elapsed.TotalSeconds:F1} s; " +
            $"resident memory {before / 1048576.0:F0} MB before, peak {ProcessMemory.Peak / 1048576.0:F0} MB; checkpoint {new FileInfo(result.CheckpointPath).Length / 1048576.0:F0} MB"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void DiffMavil_at_paper_size_trains_two_steps_on_a_flops_budget()
    {
        using var temp = new TempFolder();
        var plan = DiffMavilSpec.Plan() with
        {
            Data = new RandomInputs(),
            BatchSize = 2,
            BatchSchedule = new FlopsBudgetSchedule(start: 2, max: 4), // the spec's 512 → 1024, scaled down
            Epochs = null,
            Steps = 2,
            Precision = Precision.Fp32,
        };
        var clock = Stopwatch.StartNew();
        var result = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 2) { CheckpointEvery = CheckpointInterval.Never });

        Assert.Equal(2, result.Steps.Count);
        Assert.All(result.Steps, step => Assert.True(double.IsFinite(step.Loss) && step.Loss > 0, $"DiffMavil: loss {step.Loss}"));
        Assert.Equal(["a_intra", "a_recon", "inter", "v_intra", "v_recon"], result.Steps[0].Terms.Keys.Order());
        // Half way the masks hide more (the curriculum), so a clip costs less and the budget holds more clips.
        Assert.Equal(2, result.Steps[0].Batch);
        Assert.InRange(result.Steps[1].Batch, 2, 4);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DiffMavil: batches {result.Steps[0].Batch}, {result.Steps[1].Batch}; steps {result.Steps[0].StepMs / 1000:F1} s and {result.Steps[1].StepMs / 1000:F1} s; run {clock.Elapsed.TotalSeconds:F1} s"));
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("CavMaeContinual")]
    [InlineData("CavMaeMultitask")]
    [InlineData("Stella")]
    public void The_continual_specs_at_paper_size_train_two_steps_on_audio_and_video(string name)
    {
        using var temp = new TempFolder();
        // One stage of random clips instead of VGGSound's tasks; STELLA's buffer holds 4 clips, not 2000 (5.9 GB).
        var plan = (name == "Stella" ? StellaSpec.Plan(StellaConfig.Default with { Memory = new() { Size = 4 } }) : CompiledSpecs.All.Single(s => s.Name == name).Plan()) with
        {
            Tasks = [],
            Stages = [],
            Data = new RandomInputs(), // fbank [1024, 128] and frames [3, 4, 224, 224]
            BatchSize = 2,
            Epochs = null,
            Steps = 2,
            Precision = Precision.Fp32,
        };
        Assert.Equal([[1024, 128], [3, 4, 224, 224]], plan.Features.Select(f => f.SampleShape));
        GC.Collect();
        ProcessMemory.ResetPeak();
        var before = ProcessMemory.Resident;

        var result = Trainer.Run(plan, new RunOptions(RunRoot: temp.Path, Steps: 2) { CheckpointEvery = CheckpointInterval.Never });

        Assert.Equal(2, result.Steps.Count);
        Assert.All(result.Steps, step => Assert.True(double.IsFinite(step.Loss) && step.Loss > 0, $"{name}: loss {step.Loss}"));
        if (name == "Stella")
        {
            Assert.Equal(["a_recon", "contrast", "der", "match", "v_recon"], result.Steps[1].Terms.Keys.Order());
            Assert.Equal(0.0, result.Steps[0].Terms["der"]);
            Assert.True(result.Steps[1].Terms["der"] > 0, "the second step replays nothing");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}, batch 2: steps {result.Steps[0].StepMs / 1000:F1} s and {result.Steps[1].StepMs / 1000:F1} s; " +
            $"resident memory {before / 1048576.0:F0} MB before, peak {ProcessMemory.Peak / 1048576.0:F0} MB"));
    }
}
