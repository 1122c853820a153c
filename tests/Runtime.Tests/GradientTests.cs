using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class GradientTests
{
    private static Tensor Input(params long[] shape)
    {
        var x = T.Randn(shape, DType.Float64);
        x.RequiresGrad = true;
        x.Name = "x";
        return x;
    }

    private static List<Tensor> With(Module module, Tensor x) => [.. module.Parameters(), x];

    [Fact]
    public void Linear_gradients_match_finite_differences()
    {
        T.ManualSeed(1);
        using var scope = new TensorScope();
        using var linear = new Linear(3, 2);
        linear.To(DType.Float64);
        var x = Input(4, 3);
        GradCheck.Check(() => linear.Forward(x), With(linear, x));
    }

    [Fact]
    public void LayerNorm_gradients_match_finite_differences()
    {
        T.ManualSeed(2);
        using var scope = new TensorScope();
        using var norm = new LayerNorm(5);
        norm.To(DType.Float64);
        using (T.NoGrad())
        {
            // Non-trivial affine parameters so their gradients are not symmetric.
            norm.Weight!.CopyFrom(T.Randn([5], DType.Float64));
            norm.Bias!.CopyFrom(T.Randn([5], DType.Float64));
        }
        var x = Input(3, 5);
        GradCheck.Check(() => norm.Forward(x), With(norm, x));
    }

    [Fact]
    public void Transformer_block_gradients_match_finite_differences()
    {
        T.ManualSeed(3);
        using var scope = new TensorScope();
        using var block = new TransformerBlock(dim: 8, heads: 2, mlp: 2.0);
        block.To(DType.Float64);
        var x = Input(2, 3, 8);
        GradCheck.Check(() => block.Forward(x), With(block, x), tolerance: 1e-5);
    }

    [Fact]
    public void Post_norm_transformer_block_gradients_match_finite_differences()
    {
        T.ManualSeed(4);
        using var scope = new TensorScope();
        using var block = new TransformerBlock(dim: 4, heads: 2, mlp: 2.0, norm: Norm.Post);
        block.To(DType.Float64);
        var x = Input(1, 3, 4);
        GradCheck.Check(() => block.Forward(x), With(block, x), tolerance: 1e-5);
    }

    [Fact]
    public void Mse_gradients_match_finite_differences()
    {
        T.ManualSeed(5);
        using var scope = new TensorScope();
        var prediction = Input(3, 4);
        var target = Input(3, 4);
        GradCheck.Check(() => Losses.Mse(prediction, target), [prediction, target]);
        // and the value: mean of squared differences
        var p = prediction.ToArray<double>();
        var t = target.ToArray<double>();
        var expected = p.Zip(t, (a, b) => (a - b) * (a - b)).Average();
        Assert.Equal(expected, Losses.Mse(prediction, target).Item<double>(), 12);
    }
}
