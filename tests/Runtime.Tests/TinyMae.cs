using AvDsl.Runtime.Data;
using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Tests;

/// <summary>specs/tiny-mae.avml written by hand, as the generator is expected to emit it.</summary>
internal sealed class TinyMae(Schedule? ratio = null) : SpecModel
{
    public PatchEmbed2d Patches { get; } = new(patch: 16, dim: 64, channels: 1);
    public SinCos2d Pos { get; } = new(dim: 64, grid: [16, 8]);
    public Transformer Encoder { get; } = new(dim: 64, depth: 2, heads: 4);
    public RandomMask Mask { get; } = new(ratio: 0.75);
    public MaeDecoder Decoder { get; } = new(inputs: 64, dim: 64, depth: 1, heads: 4, outputs: 256, grid: [16, 8]);
    public Patchify Target { get; } = new(patch: 16);

    /// <summary>A masking curriculum, as `mask.ratio = linear(…)` compiles (null: the ratio stays 0.75).</summary>
    public override bool HasScheduledArguments => ratio is not null;

    public override void BeforeStep(long step, long totalSteps)
    {
        if (ratio is not null) Mask.Ratio = ratio.At(step, totalSteps);
    }

    public override LossTerms Loss(Batch batch)
    {
        var audio = batch["audio"];                                   // [B, 256, 128]
        var tokens = Patches.Forward(audio) + Pos.Forward();          // [B, 128, 64]
        var view = Mask.Forward(tokens);
        var hidden = Encoder.Forward(view.Visible);                   // [B, 32, 64]
        var pred = Decoder.Forward(hidden, view);                     // [B, 128, 256]
        var target = Target.Forward(audio);                           // [B, 128, 256]
        var loss = Losses.Mse(pred[view.Masked], target[view.Masked]);
        return new LossTerms(loss, [new("reconstruction", loss)]);
    }

    public static TrainingPlan Plan(long steps, long seed = 1) => new()
    {
        SpecName = "TinyMae",
        ResolvedSpec = "spec TinyMae { /* hand-built test model */ }\n",
        CreateModel = () => new TinyMae(),
        Data = new SyntheticSpectrogramsSource(),
        Features = [new FbankFeature(Mel: 128, Frames: 256).For("audio")],
        Optimizer = new OptimizerSettings(Betas: [0.9, 0.95], WeightDecay: 0.05),
        LearningRate = new WarmupCosineSchedule(peak: 2e-3, warmup: 5),
        Steps = steps,
        BatchSize = 8,
        Seed = seed,
    };
}
