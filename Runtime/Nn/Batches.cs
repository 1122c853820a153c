using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>Stateless ops on the batch dimension; a spec calls them like components (<c>concat_batch(audio, past.audio)</c>).</summary>
public static class Batches
{
    /// <summary>The rows of <paramref name="first"/> then those of <paramref name="second"/>: [B, *S], [R, *S] → [B + R, *S]. ER's and
    /// STELLA's step trains on the current batch and the replayed one together; with nothing replayed yet it is the current batch.</summary>
    [Component("concat_batch")]
    [Shape("first: [B, *S], second: [R, *S] -> [B + R, *S]")]
    public static Tensor ConcatBatch(Tensor first, Tensor second)
    {
        if (first.Dim < 1 || second.Dim != first.Dim || !first.Shape.AsSpan(1).SequenceEqual(second.Shape.AsSpan(1)))
            throw new ArgumentException($"concat_batch: expected [B, *S] and [R, *S] with the same sample shape, got {first.Describe()} and {second.Describe()}.");
        return Torch.Torch.Cat([first, second.To(first.DType)], 0);
    }
}
