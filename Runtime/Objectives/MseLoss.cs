using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// Squared error between two equally-shaped tensors, reduced to a scalar by <see cref="MseReduction"/>: the mean
/// over all elements (the default), the sum, or the sum over the last dimension averaged over the rows. EAT's frame
/// term is <c>row_sum</c> over masked patches and its utterance term <c>sum</c> over clip-clones, each divided by √D.
/// </summary>
[Component("mse")]
public sealed class MseLoss : Module
{
    public MseLoss(MseReduction reduction = MseReduction.Mean)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), $"mse: unknown reduction {reduction}.");
        Reduction = reduction;
    }

    public MseReduction Reduction { get; }

    [Shape("prediction: [*S], target: [*S] -> []")]
    public Tensor Forward(Tensor prediction, Tensor target)
    {
        if (!prediction.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"mse: prediction {prediction.Describe()} and target {target.Describe()} have different shapes.");
        if (Reduction == MseReduction.Mean)
            return Functional.MseLoss(prediction, target);
        if (Reduction == MseReduction.RowSum && prediction.Dim < 1)
            throw new ArgumentException($"mse: row_sum needs rows to sum over, got a scalar prediction {prediction.Describe()}.");

        using var scope = new TensorScope();
        var squared = (prediction - target).Square();
        var loss = Reduction == MseReduction.Sum ? squared.Sum() : squared.Sum(-1).Mean(); // [] either way
        return scope.MoveToOuter(loss);
    }
}
