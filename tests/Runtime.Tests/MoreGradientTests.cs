using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using F = AvDsl.Runtime.Torch.Functional;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Finite-difference gradient checks for the modules and losses added for the paper specs.</summary>
public sealed class MoreGradientTests
{
    [Fact]
    public void Conv_decoder_2d_gradients_match_finite_differences()
    {
        T.ManualSeed(21);
        using var scope = new TensorScope();
        using var decoder = new ConvDecoder2d(layers: 2, dim: 4, kernel: 3, groups: 2, grid: [2, 3]);
        decoder.To(DType.Float64);
        var x = GradCheck.Input("x", 1, 6, 4);
        GradCheck.Check(() => decoder.Decode(x), [.. decoder.Parameters(), x], tolerance: 1e-5);
    }

    [Fact]
    public void Tubelet_embedding_gradients_match_finite_differences()
    {
        T.ManualSeed(22);
        using var scope = new TensorScope();
        using var embed = new TubeletEmbed3d([2, 2, 2], dim: 3, channels: 2);
        embed.To(DType.Float64);
        var x = GradCheck.Input("x", 1, 2, 2, 4, 2);
        GradCheck.Check(() => embed.Forward(x), [.. embed.Parameters(), x]);
    }

    [Fact]
    public void Cross_attention_gradients_match_finite_differences()
    {
        T.ManualSeed(23);
        using var scope = new TensorScope();
        using var attention = new MultiHeadCrossAttention(dim: 4, heads: 2, context: 6);
        attention.To(DType.Float64);
        var x = GradCheck.Input("x", 2, 3, 4);
        var context = GradCheck.Input("context", 2, 5, 6);
        GradCheck.Check(() => attention.Forward(x, context), [.. attention.Parameters(), x, context], tolerance: 1e-5);
    }

    [Fact]
    public void Sdpa_with_mask_gradients_match_finite_differences()
    {
        T.ManualSeed(24);
        using var scope = new TensorScope();
        var (q, k, v) = (GradCheck.Input("q", 1, 2, 3, 4), GradCheck.Input("k", 1, 2, 5, 4), GradCheck.Input("v", 1, 2, 5, 4));
        var mask = T.FromArray(new[] { true, false, true, true, false, true, true, false, false, true, false, true, true, true, true }, 3, 5);
        GradCheck.Check(() => F.ScaledDotProductAttention(q, k, v, mask), [q, k, v]);
    }

    [Fact]
    public void Loss_gradients_match_finite_differences()
    {
        T.ManualSeed(25);
        using var scope = new TensorScope();
        var logits = GradCheck.Input("logits", 4, 5);
        var classes = T.FromArray(new long[] { 0, 3, 4, 1 });
        GradCheck.Check(() => F.CrossEntropy(logits, classes, labelSmoothing: 0.1), [logits]);
        var targets = T.Rand([4, 5], DType.Float64);
        GradCheck.Check(() => F.BinaryCrossEntropyWithLogits(logits, targets), [logits]);
        var other = GradCheck.Input("other", 4, 5);
        GradCheck.Check(() => F.CosineSimilarity(logits, other, dim: 1), [logits, other]);
        GradCheck.Check(() => F.Normalize(logits, dim: 1), [logits]);
        GradCheck.Check(() => F.InstanceNorm(logits.Unsqueeze(0)), [logits]);
        GradCheck.Check(() => logits.Logsumexp(1), [logits]);
        GradCheck.Check(() => F.Silu(logits) + F.Tanh(logits), [logits]);
    }
}
