using AvDsl.Runtime.Data;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// The paper-size specs are known to run, not only to compile: one training step each, at batch 1 on synthetic
/// fbank of the paper's shape (ViT-B with EAT's 16 clones and its teacher; Audio-MAE's ViT-B). Slow: run with
/// <c>./avdsl test --filter Category=Slow</c>.
/// </summary>
[Collection(nameof(GlobalRandomness))]
public sealed class PaperSpecTests
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
}
