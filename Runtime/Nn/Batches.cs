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

    /// <summary>The first rows of <paramref name="x"/>, as many as <paramref name="like"/> has, and the rest: [N, *S] → [B, *S], [N − B, *S].
    /// After <c>concat_batch</c>, <c>first</c> is the current batch's and <c>second</c> the replayed rows' (DER's penalty reads those).</summary>
    [Component("split_batch")]
    [Shape("x: [N, *S], like: [B, *T] -> first: [B, *S], second: [N - B, *S]")]
    public static BatchSplit SplitBatch(Tensor x, Tensor like)
    {
        if (x.Dim < 1 || like.Dim < 1 || like.Shape[0] > x.Shape[0])
            throw new ArgumentException($"split_batch: expected [N, *S] and [B, *T] with B ≤ N, got {x.Describe()} and {like.Describe()}.");
        var first = like.Shape[0];
        return new BatchSplit(x.Narrow(0, 0, first), x.Narrow(0, first, x.Shape[0] - first));
    }
}
