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

    /// <summary>
    /// Before a new run's first step: pretrained teachers read their weights from their runs (<see cref="PretrainedTeacher"/>).
    /// Not called where the model's own checkpoint is restored next (a resumed run, evaluation), which holds those
    /// weights already, nor by the cost estimate, which needs no weights.
    /// </summary>
    public virtual void LoadPretrained() { }

    /// <summary>Before step <paramref name="step"/>'s forward pass: scheduled arguments take their value for it.</summary>
    public virtual void BeforeStep(long step, long totalSteps) { }

    /// <summary>After step <paramref name="step"/>'s optimizer update: EMA teachers move towards the student.</summary>
    public virtual void AfterStep(long step, long totalSteps) { }
}
