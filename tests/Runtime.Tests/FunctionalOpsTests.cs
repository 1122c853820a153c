using AvDsl.Runtime.Torch;
using Xunit;
using F = AvDsl.Runtime.Torch.Functional;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>The functional ops against values computed by hand in C#.</summary>
public sealed class FunctionalOpsTests
{
    private static double[] Data(Tensor t) => t.ToArray<double>();

    [Fact]
    public void Einsum_and_bmm_agree_with_loops()
    {
        using var scope = new TensorScope();
        T.ManualSeed(10);
        var a = T.Randn([2, 3, 4], DType.Float64);
        var b = T.Randn([2, 4, 5], DType.Float64);
        var viaEinsum = F.Einsum("bij,bjk->bik", a, b);
        var viaBmm = a.Bmm(b);
        var (av, bv, ev) = (Data(a), Data(b), Data(viaEinsum));
        for (var n = 0; n < 2; n++)
        for (var i = 0; i < 3; i++)
        for (var k = 0; k < 5; k++)
        {
            var sum = 0.0;
            for (var j = 0; j < 4; j++) sum += av[n * 12 + i * 4 + j] * bv[n * 20 + j * 5 + k];
            Assert.Equal(sum, ev[n * 15 + i * 5 + k], 12);
        }
        Assert.Equal(ev, Data(viaBmm), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Grouped_conv1d_and_conv3d_match_direct_sums()
    {
        using var scope = new TensorScope();
        T.ManualSeed(11);
        // conv1d, 4 channels in 2 groups: output channel o sees only input channels of its group.
        var x = T.Randn([1, 4, 6], DType.Float64);
        var w = T.Randn([2, 2, 3], DType.Float64);
        var y = Data(F.Conv1d(x, w, groups: 2));
        var (xv, wv) = (Data(x), Data(w));
        for (var o = 0; o < 2; o++)
        for (var t = 0; t < 4; t++)
        {
            var sum = 0.0;
            for (var c = 0; c < 2; c++)
            for (var k = 0; k < 3; k++)
                sum += wv[o * 6 + c * 3 + k] * xv[(o * 2 + c) * 6 + t + k];
            Assert.Equal(sum, y[o * 4 + t], 12);
        }

        // conv3d, depthwise (groups = channels = 2), kernel 2x2x2, stride 2: one output voxel per channel.
        var v = T.Randn([1, 2, 2, 2, 2], DType.Float64);
        var k3 = T.Randn([2, 1, 2, 2, 2], DType.Float64);
        var z = Data(F.Conv3d(v, k3, stride: 2, groups: 2));
        var (vv, kv) = (Data(v), Data(k3));
        for (var c = 0; c < 2; c++)
            Assert.Equal(Enumerable.Range(0, 8).Sum(i => vv[c * 8 + i] * kv[c * 8 + i]), z[c], 12);
    }

    [Fact]
    public void Instance_norm_and_layer_norm_without_affine_normalise_to_zero_mean_unit_variance()
    {
        using var scope = new TensorScope();
        T.ManualSeed(12);
        var x = T.Randn([2, 3, 10], DType.Float64) * 3.0 + 1.0;
        var inst = F.InstanceNorm(x, eps: 0);
        Assert.All(Data(inst.Mean(2)), m => Assert.Equal(0, m, 10));
        Assert.All(Data(inst.Var(2, unbiased: false)), s => Assert.Equal(1, s, 10));
        var ln = F.LayerNorm(x, [10], eps: 0);
        Assert.Equal(Data(inst), Data(ln), new ToleranceComparer(1e-10)); // same statistics over the last dim
    }

    [Fact]
    public void Silu_tanh_and_dropout_behave_as_defined()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new double[] { -2, 0, 0.5, 3 });
        var silu = Data(F.Silu(x));
        var tanh = Data(F.Tanh(x));
        double[] input = [-2, 0, 0.5, 3];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(input[i] / (1 + Math.Exp(-input[i])), silu[i], 12);
            Assert.Equal(Math.Tanh(input[i]), tanh[i], 12);
        }
        T.ManualSeed(13);
        var ones = T.Ones([10000], DType.Float64);
        var dropped = Data(F.Dropout(ones, 0.25, training: true));
        Assert.All(dropped, d => Assert.True(d == 0 || Math.Abs(d - 1 / 0.75) < 1e-12));
        var kept = dropped.Count(d => d != 0) / 10000.0;
        Assert.InRange(kept, 0.73, 0.77);
        Assert.Equal(Data(ones), Data(F.Dropout(ones, 0.25, training: false)));
    }

    [Fact]
    public void Cross_entropy_and_bce_with_logits_match_formulas()
    {
        using var scope = new TensorScope();
        double[] logits = [1, 2, 0.5, -1, 0, 3];
        var l = T.FromArray(logits, 2, 3);
        var ce = F.CrossEntropy(l, T.FromArray(new long[] { 1, 2 })).Item<double>();
        double Lse(int row) => Math.Log(Enumerable.Range(0, 3).Sum(j => Math.Exp(logits[row * 3 + j])));
        Assert.Equal(((Lse(0) - 2) + (Lse(1) - 3)) / 2, ce, 12);
        // Probabilities as targets: the same one-hot rows give the same loss.
        var soft = F.CrossEntropy(l, T.FromArray(new double[] { 0, 1, 0, 0, 0, 1 }, 2, 3)).Item<double>();
        Assert.Equal(ce, soft, 12);

        double[] z = [-1, 0.5, 2], y = [0, 1, 0.25];
        var bce = F.BinaryCrossEntropyWithLogits(T.FromArray(z), T.FromArray(y), Reduction.Sum).Item<double>();
        var expected = Enumerable.Range(0, 3).Sum(i =>
            -(y[i] * Math.Log(1 / (1 + Math.Exp(-z[i]))) + (1 - y[i]) * Math.Log(1 - 1 / (1 + Math.Exp(-z[i])))));
        Assert.Equal(expected, bce, 12);
        var error = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropyWithLogits(T.FromArray(z), T.FromArray(y, 3, 1)));
        Assert.Contains("Float64[3]", error.Message);
    }

    [Fact]
    public void Cosine_similarity_and_normalize_match_formulas()
    {
        using var scope = new TensorScope();
        var a = T.FromArray(new double[] { 1, 2, 2, 0, 3, 4 }, 2, 3);
        var b = T.FromArray(new double[] { 2, 0, 1, 0, 0, 1 }, 2, 3);
        var cos = Data(F.CosineSimilarity(a, b, dim: 1));
        Assert.Equal(4 / (3 * Math.Sqrt(5)), cos[0], 12);
        Assert.Equal(4 / 5.0, cos[1], 12);
        var n = Data(F.Normalize(a, dim: 1));
        Assert.Equal(new[] { 1 / 3.0, 2 / 3.0, 2 / 3.0, 0, 0.6, 0.8 }, n, new ToleranceComparer(1e-12));
        Assert.All(Data(F.Normalize(T.Zeros([2, 3], DType.Float64), dim: 1)), v => Assert.Equal(0.0, v)); // eps, no NaN
    }

    [Fact]
    public void Sdpa_uses_the_fused_operator_this_libtorch_registers_and_supports_causal_masks()
    {
        using var scope = new TensorScope();
        var name = F.SdpaOperator;
        Assert.True(name is "aten::scaled_dot_product_attention" or "aten::_scaled_dot_product_attention", name);
        if (T.Version.StartsWith("1.", StringComparison.Ordinal))
            Assert.Equal("aten::_scaled_dot_product_attention", name);
        T.ManualSeed(14);
        var q = T.Randn([1, 1, 3, 4], DType.Float64);
        var k = T.Randn([1, 1, 3, 4], DType.Float64);
        var v = T.Randn([1, 1, 3, 4], DType.Float64);
        var causal = F.ScaledDotProductAttention(q, k, v, isCausal: true);
        // The first query may only attend to the first key: its output is v[0].
        Assert.Equal(Data(v)[..4], Data(causal)[..4], new ToleranceComparer(1e-12));
        var error = Assert.Throws<ArgumentException>(() => F.ScaledDotProductAttention(q, k.Narrow(3, 0, 2), v));
        Assert.Contains("Float64[1, 1, 3, 2]", error.Message);
    }
}
