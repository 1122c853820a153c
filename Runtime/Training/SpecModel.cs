using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// The contract between a generated model and what runs it (trainer, evaluation, cost): every spec's model derives
/// from it, so nothing downcasts. The spec's flow is the model's own typed <c>Forward</c>; these read a batch.
/// </summary>
public abstract class SpecModel : Module
{
    /// <summary>The forward pass and the spec's loss terms for one batch.</summary>
    public abstract LossTerms Loss(Batch batch);

    /// <summary>One embedding per clip, [B, D], as the spec's <c>eval { embed: … }</c> computes it.</summary>
    public virtual Tensor Embed(Batch batch) =>
        throw new InvalidOperationException($"{GetType().Name} has no `eval {{ embed: … }}` block, so it gives no clip embedding; add one to the spec.");

    /// <summary>Before step <paramref name="step"/>'s forward pass: scheduled arguments take their value for it.</summary>
    public virtual void BeforeStep(long step, long totalSteps) { }

    /// <summary>After step <paramref name="step"/>'s optimizer update: EMA teachers move towards the student.</summary>
    public virtual void AfterStep(long step, long totalSteps) { }
}
