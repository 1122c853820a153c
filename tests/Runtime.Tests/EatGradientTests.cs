using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Finite-difference gradient checks for the components EAT's spec calls.</summary>
public sealed class EatGradientTests
{
    [Fact]
    public void Cls_token_take_cls_drop_cls_and_mean_tokens_gradients_match_finite_differences()
    {
        T.ManualSeed(41);
        using var scope = new TensorScope();
        using var cls = new ClsToken(dim: 3);
        cls.To(DType.Float64);
        var x = GradCheck.Input("x", 2, 4, 3);
        GradCheck.Check(() => cls.Forward(x), [.. cls.Parameters(), x]);
        GradCheck.Check(() => Tokens.TakeCls(x), [x]);
        GradCheck.Check(() => Tokens.DropCls(x), [x]);
        GradCheck.Check(() => Tokens.MeanTokens(x), [x]);
        GradCheck.Check(() => Tokens.RepeatInterleave(x, times: 3), [x]);
    }

    [Theory]
    [InlineData(0, 1, true, true)]
    [InlineData(2, 1, true, true)]
    [InlineData(0, 0, false, true)]
    [InlineData(0, 2, true, false)]
    public void Layer_average_gradients_match_finite_differences(int top, int skip, bool instanceNorm, bool finalNorm)
    {
        T.ManualSeed(42);
        using var scope = new TensorScope();
        var ffn = new[] { GradCheck.Input("ffn.0", 2, 5, 3), GradCheck.Input("ffn.1", 2, 5, 3), GradCheck.Input("ffn.2", 2, 5, 3) };
        var layers = new TransformerLayers(ffn[^1], ffn, ffn);
        Tensor Average() => TeacherTargets.LayerAverage(layers, top, skip, instanceNorm, finalNorm);
        Assert.Equal(new long[] { 2, 5 - skip, 3 }, Average().Shape);
        GradCheck.Check(Average, ffn, tolerance: 1e-5);
    }

    [Fact]
    public void Conv_decoder_2d_with_a_masked_view_gradients_match_finite_differences()
    {
        T.ManualSeed(43);
        using var scope = new TensorScope();
        using var decoder = new ConvDecoder2d(layers: 2, dim: 4, kernel: 3, groups: 2, grid: [2, 3], noise: 0.5);
        decoder.To(DType.Float64);
        var view = new InverseBlockMask(keep: 0.5, grid: [2, 3], block: 1).Forward(T.Randn(2, 6, 4));
        var visible = GradCheck.Input("visible", 2, 3, 4);
        // The same noise on every evaluation, so finite differences see only the change in the input.
        GradCheck.Check(() => { T.ManualSeed(44); return decoder.Forward(visible, view); }, [.. decoder.Parameters(), visible], tolerance: 1e-5);
    }

    [Theory]
    [InlineData(MseReduction.Mean)]
    [InlineData(MseReduction.Sum)]
    [InlineData(MseReduction.RowSum)]
    public void Mse_gradients_match_finite_differences(MseReduction reduction)
    {
        T.ManualSeed(45);
        using var scope = new TensorScope();
        var (prediction, target) = (GradCheck.Input("prediction", 3, 4), GradCheck.Input("target", 3, 4));
        GradCheck.Check(() => Losses.Mse(prediction, target, reduction), [prediction, target]);
    }
}
