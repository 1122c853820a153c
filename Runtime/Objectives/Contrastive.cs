using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>Contrastive losses a spec calls like components.</summary>
public static class Contrastive
{
    /// <summary>
    /// InfoNCE between two batches of paired embeddings [B, D] (MAViL's inter-modal audio↔video and intra-modal
    /// view↔view terms; CAV-MAE's contrastive loss): each row is L2-normalised, the logits are a·bᵀ / temperature, and
    /// row i's positive is column i — the other clips of the batch are the negatives. The loss is the cross-entropy of
    /// that classification in the chosen direction, or the mean of both directions.
    /// </summary>
    /// <param name="temperature">divides the cosine similarities (CAV-MAE and STELLA: 0.05)</param>
    /// <param name="direction">`a_to_b` classifies each a among the b's, `b_to_a` the reverse, `both` averages the two</param>
    [Component("info_nce")]
    [Shape("a: [B, D], b: [B, D] -> []")]
    [Constraint("temperature > 0", "temperature divides the similarities, so it must be positive")]
    [Constraint("B >= 2", "a contrastive batch needs at least two pairs: the others are the negatives")]
    public static Tensor InfoNce(Tensor a, Tensor b, double temperature = 0.05, ContrastDirection direction = ContrastDirection.Both)
    {
        if (!(temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), $"info_nce: temperature must be positive, got {temperature}.");
        if (a.Dim != 2 || !a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ArgumentException($"info_nce: expected a and b as the same [B, D], got {a.Describe()} and {b.Describe()}.");

        if (a.Shape[0] == 0)
            return (a.Sum() + b.Sum()) * 0.0; // no pairs (a replayed batch before the buffer holds anything): 0, not NaN
        using var scope = new TensorScope();
        var logits = Functional.Normalize(a, dim: 1).Matmul(Functional.Normalize(b, dim: 1).Transpose(0, 1)) / temperature;  // [B, B]
        var positives = Torch.Torch.Arange(a.Shape[0]).To(logits.Device);                                                      // [B]
        var loss = direction switch
        {
            ContrastDirection.AToB => Functional.CrossEntropy(logits, positives),
            ContrastDirection.BToA => Functional.CrossEntropy(logits.Transpose(0, 1), positives),
            ContrastDirection.Both => (Functional.CrossEntropy(logits, positives) + Functional.CrossEntropy(logits.Transpose(0, 1), positives)) / 2.0,
            _ => throw new ArgumentOutOfRangeException(nameof(direction), $"info_nce: unknown direction {direction}."),
        };
        return scope.MoveToOuter(loss);
    }
}
