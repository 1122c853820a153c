using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>Stateless ops on <see cref="PatchCorrelation"/>s.</summary>
public static class Correlations
{
    /// <summary>The current clips' correlation followed by replayed clips' stored probabilities: [B, N] and [R, N] → [B + R, N].
    /// STELLA prunes a replayed clip's patches with the r it had when it was stored (the official <c>prob_v_att</c> of the
    /// buffer), so that <c>select_patches</c> treats current and replayed clips alike.</summary>
    [Component("concat_correlation")]
    [Shape("current.probability: [B, N], stored: [R, N] -> probability: [B + R, N]")]
    public static PatchCorrelation ConcatCorrelation(PatchCorrelation current, Tensor stored)
    {
        var shape = current.Probability.Shape;
        if (shape.Length != 2 || stored.Dim != 2 || stored.Shape[1] != shape[1])
            throw new ArgumentException(
                $"concat_correlation: expected current [B, N] and stored [R, N] probabilities, got {current.Probability.Describe()} and {stored.Describe()}.");
        var probability = Torch.Torch.Cat([current.Probability, stored.To(current.Probability.DType).To(current.Probability.Device)], 0);
        return new PatchCorrelation(probability, Past: current.Past || stored.Shape[0] > 0);
    }
}
