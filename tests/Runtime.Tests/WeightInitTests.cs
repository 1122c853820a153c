using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>The initialisation schemes a spec names, checked by their statistics on large layers.</summary>
public sealed class WeightInitTests
{
    private static (double Mean, double Std, double MaxAbs) Stats(Tensor t)
    {
        var values = t.Contiguous().ToArray<float>().Select(v => (double)v).ToArray();
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()), values.Max(Math.Abs));
    }

    [Fact]
    public void Bert_init_is_normal_with_std_0_02_and_zero_bias()
    {
        T.ManualSeed(1);
        using var scope = new TensorScope();
        using var linear = new Linear(512, 256, init: WeightInit.Bert);
        var (mean, std, _) = Stats(linear.Weight);
        Assert.InRange(mean, -0.0005, 0.0005);
        Assert.InRange(std, 0.0196, 0.0204);
        Assert.All(linear.Bias!.ToArray<float>(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Xavier_init_is_uniform_within_the_glorot_bound_and_zero_bias()
    {
        T.ManualSeed(2);
        using var scope = new TensorScope();
        using var linear = new Linear(512, 256);
        var bound = Math.Sqrt(6.0 / (512 + 256));
        var (_, std, max) = Stats(linear.Weight);
        Assert.True(max <= bound && max > 0.99 * bound, $"max {max}, bound {bound}");
        Assert.InRange(std, 0.98 * bound / Math.Sqrt(3), 1.02 * bound / Math.Sqrt(3));
        Assert.All(linear.Bias!.ToArray<float>(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Torch_init_is_pytorchs_default_for_weight_and_bias()
    {
        T.ManualSeed(3);
        using var scope = new TensorScope();
        using var linear = new Linear(400, 300, init: WeightInit.Torch);
        var bound = 1.0 / Math.Sqrt(400);
        var (_, std, max) = Stats(linear.Weight);
        Assert.True(max <= bound && max > 0.99 * bound, $"max {max}, bound {bound}");
        Assert.InRange(std, 0.98 * bound / Math.Sqrt(3), 1.02 * bound / Math.Sqrt(3));
        var (_, biasStd, biasMax) = Stats(linear.Bias!);
        Assert.True(biasMax <= bound && biasStd > 0.8 * bound / Math.Sqrt(3), $"bias max {biasMax}, std {biasStd}");
    }

    [Fact]
    public void A_transformer_and_the_decoders_head_pass_their_scheme_to_every_linear_layer()
    {
        T.ManualSeed(4);
        using var scope = new TensorScope();
        using var bert = new Transformer(dim: 64, depth: 2, heads: 4, init: WeightInit.Bert);
        var linears = bert.Modules().OfType<Linear>().ToList();
        Assert.Equal(2 * 4, linears.Count); // qkv, proj, fc1, fc2 per block
        Assert.All(linears, l => Assert.InRange(Stats(l.Weight).Std, 0.018, 0.022));

        using var decoder = new ConvDecoder2d(layers: 1, dim: 64, kernel: 3, groups: 4, grid: [2, 2], headInit: WeightInit.Torch);
        Assert.True(Stats(decoder.Proj.Weight).MaxAbs <= 1.0 / Math.Sqrt(64));
        Assert.True(Stats(decoder.Proj.Bias!).MaxAbs > 0);
    }

    [Fact]
    public void A_cls_token_starts_with_the_std_it_is_given()
    {
        T.ManualSeed(5);
        using var scope = new TensorScope();
        using var official = new ClsToken(dim: 4096, std: 1.0);
        Assert.InRange(Stats(official.Token).Std, 0.97, 1.03);
        using var small = new ClsToken(dim: 4096);
        Assert.InRange(Stats(small.Token).Std, 0.0194, 0.0206);
    }
}
