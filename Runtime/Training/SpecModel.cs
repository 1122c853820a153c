using AvDsl.Runtime.Data;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
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

    /// <summary>The embedding <paramref name="name"/> of the spec's <c>eval</c> block, one vector per clip [B, D]; the batch
    /// needs only the inputs that embedding reads (<see cref="TrainingPlan.Embeddings"/>).</summary>
    public virtual Tensor Embed(Batch batch, string name) =>
        throw new InvalidOperationException($"{GetType().Name} has no `eval {{ … }}` block, so it gives no clip embedding; add one to the spec.");

    /// <summary>One forward pass of the flow over <paramref name="batch"/> (every input) and, for each of the spec's
    /// reconstruction losses (<see cref="TrainingPlan.Reconstructions"/>, in that order), its input, mask, predicted patches
    /// and the component that cut the target: what a picture of the reconstruction needs. The masks are drawn as in
    /// training; call it in training mode under a seed for a reproducible one.</summary>
    public virtual Reconstruction[] Reconstruct(Batch batch) =>
        throw new InvalidOperationException($"{GetType().Name} has no reconstruction loss (a loss such as `mse(pred[view.masked], target[view.masked])` with `target = patchify(audio, patch: 16)`), so there is nothing to draw.");

    protected ArgumentException UnknownEmbedding(string name) =>
        new($"{GetType().Name} has no embedding `{name}`; its eval block declares others (see the spec's `eval {{ … }}`).", nameof(name));

    /// <summary>
    /// Before a new run's first step: pretrained teachers read their weights from their runs (<see cref="PretrainedTeacher"/>).
    /// Not called where the model's own checkpoint is restored next (a resumed run, evaluation), which holds those
    /// weights already, nor by the cost estimate, which needs no weights.
    /// </summary>
    public virtual void LoadPretrained() { }

    /// <summary>Whether <see cref="BeforeStep"/> moves any argument; when none moves, every step costs what the first does.</summary>
    public virtual bool HasScheduledArguments => false;

    /// <summary>Before step <paramref name="step"/>'s forward pass: scheduled arguments take their value for it.</summary>
    public virtual void BeforeStep(long step, long totalSteps) { }

    /// <summary>After step <paramref name="step"/>'s optimizer update: EMA teachers move towards the student.</summary>
    public virtual void AfterStep(long step, long totalSteps) { }

    /// <summary>The spec's replay buffers by name (<c>memory = replay_buffer(…)</c>): state that outlives the step, saved with every
    /// step checkpoint and restored on resume; empty for a spec without one.</summary>
    public virtual IReadOnlyDictionary<string, ReplayBuffer> ReplayBuffers { get; } = new Dictionary<string, ReplayBuffer>();

    protected override void ReleaseState()
    {
        foreach (var buffer in ReplayBuffers.Values)
            buffer.Dispose();
    }
}
