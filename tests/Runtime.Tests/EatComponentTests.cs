using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Shapes, values and errors of the components EAT's spec calls: cls_token, take_cls, drop_cls, layer_average,
/// conv_decoder_2d with a masked view, repeat_interleave, mean_tokens and mse's reductions.</summary>
public sealed class EatComponentTests
{
    [Fact]
    public void Cls_token_goes_first_and_the_tokens_follow_unchanged()
    {
        T.ManualSeed(31);
        using var scope = new TensorScope();
        using var cls = new ClsToken(dim: 8);
        var x = T.Randn(3, 5, 8);
        var y = cls.Forward(x);
        Assert.Equal(new long[] { 3, 6, 8 }, y.Shape);
        Assert.Equal(new long[] { 1, 1, 8 }, cls.Token.Shape);
        Assert.Equal(["token"], cls.NamedParameters().Select(p => p.Key));
        var token = cls.Token.ToArray<float>();
        for (var b = 0; b < 3; b++)
            Assert.Equal(token, y[b][0].ToArray<float>());
        Assert.Equal(x.ToArray<float>(), y.Narrow(1, 1, 5).Contiguous().ToArray<float>());
        Assert.Equal(x.ToArray<float>(), Tokens.DropCls(y).Contiguous().ToArray<float>());
        Assert.Equal(token.Concat(token).Concat(token), Tokens.TakeCls(y).Contiguous().ToArray<float>());
    }

    [Fact]
    public void Cls_token_starts_as_small_normal_noise()
    {
        T.ManualSeed(32);
        using var cls = new ClsToken(dim: 4096);
        var values = cls.Token.ToArray<float>();
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        Assert.InRange(std, 0.019, 0.021);
        Assert.InRange(mean, -0.002, 0.002);
    }

    [Fact]
    public void Mean_tokens_averages_over_tokens()
    {
        using var scope = new TensorScope();
        var x = T.FromArray(new float[] { 1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60 }, 2, 3, 2);
        Assert.Equal(new float[] { 3, 4, 30, 40 }, Tokens.MeanTokens(x).ToArray<float>());
    }

    [Fact]
    public void Repeat_interleave_lines_up_with_the_clones_of_inverse_block_mask()
    {
        T.ManualSeed(33);
        using var scope = new TensorScope();
        var tokens = T.Randn(2, 32, 4);
        var view = new InverseBlockMask(keep: 0.25, grid: [4, 8], clones: 3).Forward(tokens);
        var repeated = Tokens.RepeatInterleave(tokens, times: 3);                       // [6, 32, 4]
        Assert.Equal(new long[] { 6, 32, 4 }, repeated.Shape);
        var gathered = repeated.Gather(1, view.KeepIndices.Unsqueeze(-1).Expand(-1, -1, 4));
        Assert.Equal(view.Visible.ToArray<float>(), gathered.ToArray<float>());
        Assert.Equal(new long[] { 6, 4 }, Tokens.RepeatInterleave(T.Randn(2, 4), 3).Shape);
    }

    [Fact]
    public void Mse_reduces_by_mean_sum_or_row_sum()
    {
        using var scope = new TensorScope();
        var prediction = T.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var target = T.FromArray(new double[] { 0, 0, 0, 1, 1, 1 }, 2, 3);
        // squared errors: [1, 4, 9], [9, 16, 25]; rows sum to 14 and 50
        Assert.Equal(64.0 / 6, Losses.Mse(prediction, target).Item<double>(), 12);
        Assert.Equal(64.0, Losses.Mse(prediction, target, MseReduction.Sum).Item<double>(), 12);
        Assert.Equal(32.0, Losses.Mse(prediction, target, MseReduction.RowSum).Item<double>(), 12);
        Assert.Empty(Losses.Mse(prediction, target, MseReduction.RowSum).Shape);
    }

    [Fact]
    public void Decoder_noise_has_the_right_spread_at_masked_positions_and_leaves_visible_tokens_in_place()
    {
        T.ManualSeed(34);
        using var scope = new TensorScope();
        using var decoder = new ConvDecoder2d(layers: 1, dim: 16, kernel: 3, groups: 4, grid: [8, 8]); // noise 0.01, EAT's
        var tokens = T.Randn(4, 64, 16);
        var view = new InverseBlockMask(keep: 0.2, grid: [8, 8]).Forward(tokens);
        var grid = decoder.Scatter(view.Visible, view);                                         // [4, 64, 16]

        var back = grid.Gather(1, view.KeepIndices.Unsqueeze(-1).Expand(-1, -1, 16));
        Assert.Equal(view.Visible.ToArray<float>(), back.ToArray<float>());                     // bit for bit
        var noise = grid[view.Masked].ToArray<float>();                                         // [M, 16]
        Assert.Equal(4 * (64 - 12) * 16, noise.Length);
        var mean = noise.Average();
        var std = Math.Sqrt(noise.Sum(v => (v - mean) * (v - mean)) / (noise.Length - 1));
        Assert.InRange(std, 0.0095, 0.0105);
        Assert.InRange(mean, -0.001, 0.001);

        Assert.NotEqual(noise, decoder.Scatter(view.Visible, view)[view.Masked].ToArray<float>()); // fresh each call
        using var silent = new ConvDecoder2d(layers: 1, dim: 16, kernel: 3, groups: 4, grid: [8, 8], noise: 0);
        Assert.All(silent.Scatter(view.Visible, view)[view.Masked].ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.Equal(new long[] { 4, 64, 16 }, decoder.Forward(view.Visible, view).Shape);
    }

    [Fact]
    public void Wrong_shapes_are_refused_naming_the_component_and_the_shape()
    {
        using var scope = new TensorScope();
        void Refused(string component, string shape, Action call)
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Contains(component, error.Message);
            Assert.Contains(shape, error.Message);
        }

        using var cls = new ClsToken(dim: 8);
        Refused("cls_token", "Float32[2, 5, 4]", () => cls.Forward(T.Randn(2, 5, 4)));
        Refused("take_cls", "Float32[2, 5]", () => Tokens.TakeCls(T.Randn(2, 5)));
        Refused("drop_cls", "Float32[2, 1, 4]", () => Tokens.DropCls(T.Randn(2, 1, 4)));
        Refused("mean_tokens", "Float32[2, 5, 4, 3]", () => Tokens.MeanTokens(T.Randn(2, 5, 4, 3)));
        Refused("repeat_interleave", "Float32[]", () => Tokens.RepeatInterleave(T.Scalar(1.0), 2));
        Refused("mse", "Float32[2, 3]", () => Losses.Mse(T.Randn(2, 3), T.Randn(3, 2), MseReduction.RowSum));

        Refused("layer_average", "Float32[2, 5, 4], Float32[2, 6, 4]",
            () => TeacherTargets.LayerAverage(new TransformerLayers(T.Randn(2, 5, 4), [], [T.Randn(2, 5, 4), T.Randn(2, 6, 4)])));
        Refused("layer_average", "Float32[2, 1, 4]", () => TeacherTargets.LayerAverage(new TransformerLayers(T.Randn(2, 1, 4), [], [T.Randn(2, 1, 4)])));
        Refused("layer_average", "only 1 layers", () => TeacherTargets.LayerAverage(new TransformerLayers(T.Randn(2, 3, 4), [], [T.Randn(2, 3, 4)]), top: 2));

        using var decoder = new ConvDecoder2d(layers: 1, dim: 4, kernel: 3, groups: 2, grid: [2, 2]);
        var view = new MaskedView(T.Randn(1, 2, 4), T.Zeros([1, 4], DType.Bool), T.FromArray(new long[] { 0, 3 }, 1, 2), T.FromArray(new long[] { 0, 2, 3, 1 }, 1, 4));
        Refused("conv_decoder_2d", "Float32[1, 3, 4]", () => decoder.Forward(T.Randn(1, 3, 4), view));   // K differs from the view's
        Refused("conv_decoder_2d", "Float32[1, 2, 8]", () => decoder.Forward(T.Randn(1, 2, 8), view));   // wrong dim
        Refused("conv_decoder_2d", "Float32[1, 5, 4]", () => decoder.Decode(T.Randn(1, 5, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvDecoder2d(layers: 1, dim: 4, kernel: 3, groups: 2, grid: [2, 2], noise: -1));
    }
}
