using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>Everything <see cref="Trainer.Run"/> needs; generated code builds one per spec.</summary>
/// <param name="SpecName">The spec's name (the run directory is named after it, kebab-cased).</param>
/// <param name="ResolvedSpec">The spec text with inheritance and defaults resolved; saved with the run.</param>
/// <param name="CreateModel">Builds the model; called after seeding, so initialisation is reproducible.</param>
/// <param name="ComputeLoss">The forward pass and loss for one batch.</param>
/// <param name="CreateData">The batch source for a seed.</param>
/// <param name="Optimizer">AdamW settings.</param>
/// <param name="LearningRate">The learning rate per step.</param>
/// <param name="Steps">Optimizer steps in the run.</param>
/// <param name="BatchSize">Samples per step.</param>
/// <param name="Seed">Seeds libtorch's generators and the data.</param>
/// <param name="ClipGradNorm">Global gradient-norm clip, or null for none.</param>
/// <param name="BeforeStep">Sets the model's scheduled arguments for a step (step, total steps), if it has any.</param>
/// <param name="Epochs">When set, the run lasts this many passes over the data (<see cref="Steps"/> is then unused).</param>
/// <param name="BatchSchedule">When the batch size moves during training: its value per step, rounded.</param>
/// <param name="Device">The spec's device ("cpu", "auto", "cuda", "cuda:N"); <see cref="RunOptions.Device"/> wins.</param>
/// <param name="Precision">"fp32", or "bf16" to run forward passes under bfloat16 autocast.</param>
/// <param name="AfterStep">Runs after each optimizer step (step index, total steps): EMA teachers update here.</param>
/// <param name="Embed">The spec's clip embedding [B, D] for a batch (its <c>eval { embed: … }</c>), if it has one.</param>
/// <param name="Features">How each input is computed from media, to open other manifests (evaluation tasks) alike.</param>
/// <param name="ParameterGroups">Per-component learning-rate scales, weight decays and frozen components.</param>
public sealed record TrainingPlan(
    string SpecName,
    string ResolvedSpec,
    Func<Module> CreateModel,
    Func<Module, Batch, LossTerms> ComputeLoss,
    Func<long, IBatchSource> CreateData,
    OptimizerSettings Optimizer,
    Schedule LearningRate,
    long Steps,
    int BatchSize,
    long Seed,
    double? ClipGradNorm,
    Action<Module, long, long>? BeforeStep = null,
    Schedule? BatchSchedule = null,
    long? Epochs = null,
    string Device = "cpu",
    string Precision = "fp32",
    Action<Module, long, long>? AfterStep = null,
    Func<Module, Batch, Tensor>? Embed = null,
    IReadOnlyList<IClipFeatures>? Features = null,
    IReadOnlyList<ParameterGroup>? ParameterGroups = null);
