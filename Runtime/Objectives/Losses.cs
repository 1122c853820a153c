using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>Stateless losses a spec calls like components (<c>mse(pred, target)</c>).</summary>
public static class Losses
{
    /// <summary>
    /// Squared error between two equally-shaped tensors, reduced to a scalar by <see cref="MseReduction"/>: the mean
    /// over all elements (the default), the sum, or the sum over the last dimension averaged over the rows. EAT's frame
    /// term is <c>row_sum</c> over masked patches and its utterance term <c>sum</c> over clip-clones, each divided by √D.
    /// Under data parallelism the sum is the global batch's (<see cref="BatchShare"/>); the means are each rank's, and
    /// ranks hold equal shares. Over no elements (a replayed batch before the buffer holds anything) the loss is 0, not NaN.
    /// </summary>
    [Component("mse")]
    [Shape("prediction: [*S], target: [*S] -> []")]
    public static Tensor Mse(Tensor prediction, Tensor target, MseReduction reduction = MseReduction.Mean)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), $"mse: unknown reduction {reduction}.");
        if (!prediction.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"mse: prediction {prediction.Describe()} and target {target.Describe()} have different shapes.");
        if (prediction.NumElements == 0)
            return (prediction - target).Sum(); // 0, still in the graph
        if (reduction == MseReduction.Mean)
            return Functional.MseLoss(prediction, target);
        if (reduction == MseReduction.RowSum && prediction.Dim < 1)
            throw new ArgumentException($"mse: row_sum needs rows to sum over, got a scalar prediction {prediction.Describe()}.");

        using var scope = new TensorScope();
        var squared = (prediction - target).Square();
        // A sum runs over the global batch: each rank's is scaled by the ranks, so that averaged gradients are the sum's.
        var loss = reduction == MseReduction.Sum ? squared.Sum() * (BatchShare.Current?.World ?? 1) : squared.Sum(-1).Mean(); // []
        return scope.MoveToOuter(loss);
    }
}
