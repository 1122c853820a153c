using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// EAT's (data2vec 2.0's) teacher target from a <see cref="Transformer.ForwardLayers"/> run: the feed-forward outputs
/// before the residual add of the top <c>top</c> blocks (0 = all), without the first <c>skip</c> tokens (the CLS),
/// each instance-normalised over tokens (per channel, no affine, eps 1e-5), averaged over the blocks, then
/// layer-normalised over channels (no affine, eps 1e-5). [B, N, D] per block → [B, N - skip, D].
/// </summary>
public static class TeacherTargets
{
    private const double Eps = 1e-5;

    /// <summary>EAT's teacher target from a teacher's <c>layers(x)</c> run: the feed-forward outputs of the top
    /// <paramref name="top"/> blocks without their first <paramref name="skip"/> tokens, each instance-normalised over
    /// tokens, averaged, then layer-normalised. Each block's [B, N, D] → [B, N - skip, D]; B, N and D are the teacher's.</summary>
    /// <param name="top">How many of the last blocks to average: 0 averages every block (EAT's teacher averages all twelve).</param>
    /// <param name="skip">How many leading tokens to leave out of the target: 1 drops the CLS token that <c>cls_token</c>
    /// put in front, so the target has one row per patch, as the student's predictions do; 0 keeps every token (an
    /// encoder without a CLS token).</param>
    [Constraint("top >= 0", "top is 0 (all blocks) or a number of blocks")]
    [Constraint("top <= L", "top cannot exceed the encoder's blocks")]
    [Constraint("skip >= 0", "skip must not be negative")]
    [Constraint("N > skip", "skip must leave at least one token")]
    [Component("layer_average")]
    [Shape("layers.ffn: [L, B, N, D] -> [B, N - skip, D]")]
    public static Tensor LayerAverage(TransformerLayers layers, int top = 0, int skip = 1, bool instanceNorm = true, bool finalNorm = true)
    {
        if (top < 0)
            throw new ArgumentOutOfRangeException(nameof(top), $"layer_average: top must be 0 (all layers) or positive, got {top}.");
        if (skip < 0)
            throw new ArgumentOutOfRangeException(nameof(skip), $"layer_average: skip must not be negative, got {skip}.");
        var ffn = layers.Ffn;
        if (ffn.Count == 0)
            throw new ArgumentException("layer_average: the transformer run has no layers.");
        if (top > ffn.Count)
            throw new ArgumentException($"layer_average: top is {top} but the transformer has only {ffn.Count} layers.");
        var shape = ffn[0].Shape;
        foreach (var layer in ffn)
        {
            if (layer.Dim != 3 || !layer.Shape.AsSpan().SequenceEqual(shape) || shape[1] <= skip)
                throw new ArgumentException(
                    $"layer_average: expected every layer as the same [B, N, D] with N > skip ({skip}), got {string.Join(", ", ffn.Select(t => t.Describe()))}.");
        }
        var (tokens, dim) = (shape[1], shape[2]);
        var used = top == 0 ? ffn.Count : top;

        using var scope = new TensorScope();
        Tensor? sum = null;
        foreach (var layer in ffn.Skip(ffn.Count - used))
        {
            var y = layer.Narrow(1, skip, tokens - skip);                                   // [B, N', D]
            if (instanceNorm)
                y = Functional.InstanceNorm(y.Transpose(1, 2), eps: Eps).Transpose(1, 2);   // over tokens, per channel
            sum = sum is null ? y : sum + y;
        }
        var average = sum! / used;                                                          // [B, N', D]
        if (finalNorm)
            average = Functional.LayerNorm(average, [dim], eps: Eps);
        return scope.MoveToOuter(average);
    }
}
