using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>InfoNCE against its closed form written out in doubles, and by finite differences; token concat and split.</summary>
public sealed class ContrastiveTests
{
    /// <summary>−mean_i log softmax_j(cos(a_i, b_j) / τ)[i], in one direction, computed without libtorch.</summary>
    private static double ClosedForm(double[][] a, double[][] b, double temperature)
    {
        static double[] Unit(double[] v)
        {
            var norm = Math.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / norm).ToArray();
        }
        var (ua, ub) = (a.Select(Unit).ToArray(), b.Select(Unit).ToArray());
        var total = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var logits = ub.Select(bj => ua[i].Zip(bj, (x, y) => x * y).Sum() / temperature).ToArray();
            var max = logits.Max();
            var logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
            total += logSum - logits[i];
        }
        return total / a.Length;
    }

    private static double[][] Rows(Tensor t)
    {
        var values = t.ToArray<float>();
        var (rows, cols) = ((int)t.Shape[0], (int)t.Shape[1]);
        return Enumerable.Range(0, rows).Select(r => values.Skip(r * cols).Take(cols).Select(v => (double)v).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(ContrastDirection.AToB)]
    [InlineData(ContrastDirection.BToA)]
    [InlineData(ContrastDirection.Both)]
    public void Info_nce_is_the_cross_entropy_of_finding_each_pair_among_the_batch(ContrastDirection direction)
    {
        using var scope = new TensorScope();
        T.ManualSeed(21);
        var (a, b) = (T.Randn(5, 3), T.Randn(5, 3));
        const double temperature = 0.2;

        var loss = Contrastive.InfoNce(a, b, temperature, direction).Item<double>();

        var (ra, rb) = (Rows(a), Rows(b));
        var expected = direction switch
        {
            ContrastDirection.AToB => ClosedForm(ra, rb, temperature),
            ContrastDirection.BToA => ClosedForm(rb, ra, temperature),
            _ => (ClosedForm(ra, rb, temperature) + ClosedForm(rb, ra, temperature)) / 2,
        };
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void Info_nce_gradients_match_finite_differences()
    {
        using var scope = new TensorScope();
        T.ManualSeed(22);
        var a = GradCheck.Input("a", 4, 3);
        var b = GradCheck.Input("b", 4, 3);
        GradCheck.Check(() => Contrastive.InfoNce(a, b, 0.5, ContrastDirection.Both), [a, b], tolerance: 1e-5);
    }

    [Fact]
    public void Aligned_pairs_at_a_low_temperature_cost_almost_nothing_and_shuffled_ones_a_lot()
    {
        using var scope = new TensorScope();
        var a = T.FromArray(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 3, 3);
        var shuffled = T.FromArray(new float[] { 0, 1, 0, 0, 0, 1, 1, 0, 0 }, 3, 3);
        Assert.True(Contrastive.InfoNce(a, a, 0.05).Item<double>() < 1e-6);
        Assert.Equal(20.0, Contrastive.InfoNce(a, shuffled, 0.05).Item<double>(), 3); // log-odds of 1/0.05 against the positive
    }

    [Fact]
    public void Info_nce_refuses_a_non_positive_temperature_and_unpaired_batches()
    {
        using var scope = new TensorScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => Contrastive.InfoNce(T.Randn(2, 3), T.Randn(2, 3), 0.0));
        Assert.Contains("the same [B, D]", Assert.Throws<ArgumentException>(() => Contrastive.InfoNce(T.Randn(2, 3), T.Randn(3, 3))).Message);
    }

    [Fact]
    public void Split_tokens_takes_apart_what_concat_tokens_put_together()
    {
        using var scope = new TensorScope();
        T.ManualSeed(23);
        var (audio, video) = (T.Randn(2, 3, 4), T.Randn(2, 5, 4));
        var fused = Tokens.ConcatTokens(audio, video);
        Assert.Equal(new long[] { 2, 8, 4 }, fused.Shape);

        var split = Tokens.SplitTokens(fused, audio);
        Assert.Equal(audio.ToArray<float>(), split.First.ToArray<float>());
        Assert.Equal(video.ToArray<float>(), split.Second.ToArray<float>());
    }
}
