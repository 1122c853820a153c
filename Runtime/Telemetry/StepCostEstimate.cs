namespace AvDsl.Runtime.Telemetry;

/// <summary>
/// What one training step of a spec costs, worked out before training (<see cref="StepCost.Estimate"/>).
/// FLOPs and activation bytes are for the plan's <see cref="BatchSize"/>: counted for one sample and scaled linearly.
/// </summary>
/// <param name="SpecName">The spec.</param>
/// <param name="BatchSize">Samples per step (the plan's batch size; a batch schedule's start is not applied).</param>
/// <param name="TrainableParameters">Elements of the parameters that require grad.</param>
/// <param name="FrozenParameters">Elements of the parameters that do not (an EMA teacher, frozen layers).</param>
/// <param name="ParameterBytes">Bytes of all parameters.</param>
/// <param name="ForwardFlops">Matrix-product FLOPs of the forward pass (teacher included).</param>
/// <param name="TrainingFlops">Forward plus backward FLOPs; see <see cref="Torch.CostCounter"/> for the rule.</param>
/// <param name="NoGradFlops">The part of <paramref name="ForwardFlops"/> run outside the autograd graph (a teacher).</param>
/// <param name="ElementwiseFlops">Forward FLOPs of everything else (norms, activations, adds, losses), one per output element.</param>
/// <param name="ActivationBytes">Estimated bytes autograd keeps from the forward pass until backward.</param>
/// <param name="InputSource">Where the sample input came from: "features" (the plan's per-input shapes) or "data" (one batch of its data).</param>
public sealed record StepCostEstimate(
    string SpecName,
    int BatchSize,
    long TrainableParameters,
    long FrozenParameters,
    long ParameterBytes,
    long ForwardFlops,
    long TrainingFlops,
    long NoGradFlops,
    long ElementwiseFlops,
    long ActivationBytes,
    string InputSource)
{
    /// <summary>Bytes a training step needs beyond the inputs: parameters, their gradients and AdamW's two moments
    /// (trainable parameters only, fp32), and the activations.</summary>
    public long TrainingBytes(int parameterElementSize = 4) =>
        ParameterBytes + 3L * TrainableParameters * parameterElementSize + ActivationBytes;

    /// <summary>Gradient bytes each data-parallel rank all-reduces per step (fp32 gradients of the trainable parameters,
    /// as <see cref="Distributed.DataParallel.BytesPerStep"/> counts them); a ring moves 2(N − 1)/N of it per rank.</summary>
    public long AllReduceBytes => 4L * TrainableParameters;
}
