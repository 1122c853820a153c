using AvDsl.Runtime.Data;
using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// A training step of EAT-tiny's size (EAT-tiny: 256 frames, 6 x 192, 3 heads) built from Runtime parts:
/// a full-sequence no-grad pass of the encoder (the teacher's cost), the student on the 20% visible patches,
/// a 1-block decoder reconstructing the masked patches. It omits EAT's 16 clones and its CNN decoder, so the
/// real EAT-tiny step is heavier and the data share measured against this one is an upper bound.
/// </summary>
internal sealed class EatTinyStandIn : SpecModel
{
    public PatchEmbed2d Patches { get; } = new(patch: 16, dim: 192, channels: 1);
    public SinCos2d Pos { get; } = new(dim: 192, grid: [16, 8]);
    public Transformer Student { get; } = new(dim: 192, depth: 6, heads: 3, norm: Norm.Post);
    public RandomMask Mask { get; } = new(ratio: 0.8);
    public MaeDecoder Decoder { get; } = new(inputs: 192, dim: 192, depth: 1, heads: 3, outputs: 256, grid: [16, 8]);
    public Patchify Target { get; } = new(patch: 16);

    public override LossTerms Loss(Batch batch)
    {
        var audio = batch["audio"];                                   // [B, 256, 128]
        var tokens = Patches.Forward(audio) + Pos.Forward();          // [B, 128, 192]
        using (Torch.NoGrad())
            Student.Forward(tokens);                                  // the teacher's full pass
        var view = Mask.Forward(tokens);
        var hidden = Student.Forward(view.Visible);                   // [B, 25, 192]
        var pred = Decoder.Forward(hidden, view);                     // [B, 128, 256]
        var target = Target.Forward(audio);
        var loss = Losses.Mse(pred[view.Masked], target[view.Masked]);
        return new LossTerms(loss, [new("reconstruction", loss)]);
    }

    public static TrainingPlan Plan(Func<long, IBatchSource> data, IReadOnlyList<IClipFeatures> features, long steps, int batch) => new()
    {
        SpecName = "EatTinyStandIn",
        ResolvedSpec = "spec EatTinyStandIn { /* data benchmark */ }\n",
        CreateModel = () => new EatTinyStandIn(),
        Data = new OpenedBy(data),
        Features = features,
        Optimizer = new OptimizerSettings(Betas: [0.9, 0.95], WeightDecay: 0.05),
        LearningRate = new ConstantSchedule(5e-4),
        Steps = steps,
        BatchSize = batch,
        ClipGradNorm = 4.0,
    };

    /// <summary>The benchmark's own loader, timed.</summary>
    private sealed record OpenedBy(Func<long, IBatchSource> Open) : IDataSource
    {
        IBatchSource IDataSource.Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => Open(seed);
    }
}
