using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>Stateless ops on token sequences [B, N, D]; a spec calls them like components (<c>take_cls(student)</c>) and
/// generated code calls them directly (<c>Tokens.TakeCls(student)</c>).</summary>
public static class Tokens
{
    /// <summary>The first token of each sequence (the CLS token <see cref="ClsToken"/> put there): [B, N, D] → [B, D].</summary>
    [Constraint("N >= 1", "there must be a token to take")]
    [Component("take_cls")]
    [Shape("x: [B, N, D] -> [B, D]")]
    public static Tensor TakeCls(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] < 1)
            throw new ArgumentException($"take_cls: expected [B, N, D] with at least one token, got {x.Describe()}.");
        return x.Select(1, 0);
    }

    /// <summary>Every token but the first (the patch tokens after a <see cref="ClsToken"/>): [B, N, D] → [B, N - 1, D].</summary>
    [Constraint("N >= 2", "there must be a CLS token and at least one more")]
    [Component("drop_cls")]
    [Shape("x: [B, N, D] -> [B, N - 1, D]")]
    public static Tensor DropCls(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] < 2)
            throw new ArgumentException($"drop_cls: expected [B, N, D] with a CLS token and at least one more, got {x.Describe()}.");
        return x.Narrow(1, 1, shape[1] - 1);
    }

    /// <summary>The mean over tokens: [B, N, D] → [B, D] (EAT's utterance-level target pools the frame targets so).</summary>
    [Constraint("N >= 1", "there must be a token to average")]
    [Component("mean_tokens")]
    [Shape("x: [B, N, D] -> [B, D]")]
    public static Tensor MeanTokens(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] < 1)
            throw new ArgumentException($"mean_tokens: expected [B, N, D] with at least one token, got {x.Describe()}.");
        return x.Mean(1);
    }

    /// <summary>
    /// Each sample repeated <paramref name="times"/> along the batch, copies adjacent: [B, *S] → [B·times, *S]. This is the
    /// order <see cref="Masking.InverseBlockMask"/> gives its clones, so a teacher that saw each clip once lines up with them.
    /// </summary>
    [Constraint("times >= 1", "times is at least 1")]
    [Component("repeat_interleave")]
    [Shape("x: [B, *S] -> [B * times, *S]")]
    public static Tensor RepeatInterleave(Tensor x, int times)
    {
        if (times < 1)
            throw new ArgumentOutOfRangeException(nameof(times), $"repeat_interleave: times must be at least 1, got {times}.");
        if (x.Dim < 1)
            throw new ArgumentException($"repeat_interleave: expected [B, ...] with a batch dimension, got {x.Describe()}.");
        return times == 1 ? x.Alias() : x.RepeatInterleave(times, 0);
    }

    /// <summary>
    /// Two token sequences of one batch side by side: [B, N, D] and [B, M, D] → [B, N + M, D] (MAViL's fusion encoder
    /// runs over [audio; video]). <see cref="SplitTokens"/> takes them apart again.
    /// </summary>
    [Component("concat_tokens")]
    [Shape("a: [B, N, D], b: [B, M, D] -> [B, N + M, D]")]
    public static Tensor ConcatTokens(Tensor a, Tensor b)
    {
        if (a.Dim != 3 || b.Dim != 3 || a.Shape[0] != b.Shape[0] || a.Shape[2] != b.Shape[2])
            throw new ArgumentException($"concat_tokens: expected [B, N, D] and [B, M, D], got {a.Describe()} and {b.Describe()}.");
        return Torch.Torch.Cat([a, b], dim: 1);
    }

    /// <summary>
    /// Two clip vectors side by side: [B, D] and [B, E] → [B, D + E] (MAViL's clip embedding joins the mean-pooled audio and
    /// video tokens of the fusion encoder so).
    /// </summary>
    [Component("concat_features")]
    [Shape("a: [B, D], b: [B, E] -> [B, D + E]")]
    public static Tensor ConcatFeatures(Tensor a, Tensor b)
    {
        if (a.Dim != 2 || b.Dim != 2 || a.Shape[0] != b.Shape[0])
            throw new ArgumentException($"concat_features: expected [B, D] and [B, E], got {a.Describe()} and {b.Describe()}.");
        return Torch.Torch.Cat([a, b], dim: 1);
    }

    /// <summary>
    /// The first K tokens of x and the rest, K being the token count of <paramref name="like"/> (the sequence that was
    /// concatenated first): [B, N, D] → first [B, K, D], second [B, N − K, D].
    /// </summary>
    [Constraint("K < N", "like must have fewer tokens than x, so that both parts hold some")]
    [Component("split_tokens")]
    [Shape("x: [B, N, D], like: [B, K, E] -> first: [B, K, D], second: [B, N - K, D]")]
    public static TokenSplit SplitTokens(Tensor x, Tensor like)
    {
        if (x.Dim != 3 || like.Dim != 3 || like.Shape[0] != x.Shape[0] || like.Shape[1] >= x.Shape[1])
            throw new ArgumentException($"split_tokens: expected x [B, N, D] and like [B, K, E] with K < N, got {x.Describe()} and {like.Describe()}.");
        var first = like.Shape[1];
        return new TokenSplit(x.Narrow(1, 0, first), x.Narrow(1, first, x.Shape[1] - first));
    }

    /// <summary>
    /// The tokens at the given positions of each sequence: x [B, N, D] at indices [B, K] → [B, K, D] (a reconstruction loss
    /// reads the targets a selection chose: <c>take_tokens(patchify(audio), selection.target_indices)</c>).
    /// </summary>
    [Component("take_tokens")]
    [Shape("x: [B, N, D], indices: [B, K] -> [B, K, D]")]
    public static Tensor TakeTokens(Tensor x, Tensor indices)
    {
        if (x.Dim != 3 || indices.Dim != 2 || indices.Shape[0] != x.Shape[0] || indices.DType != DType.Int64)
            throw new ArgumentException($"take_tokens: expected x [B, N, D] and Int64 indices [B, K], got {x.Describe()} and {indices.Describe()}.");
        return x.Gather(1, indices.Unsqueeze(-1).Expand(x.Shape[0], indices.Shape[1], x.Shape[2]));
    }
}
