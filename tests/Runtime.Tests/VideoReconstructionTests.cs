using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Video reconstruction: tubelet targets against an element-by-element reference, and the 3-D MAE decoder.</summary>
public sealed class VideoReconstructionTests
{
    [Fact]
    public void Patchify_3d_puts_each_element_where_the_tubelet_order_says()
    {
        using var scope = new TensorScope();
        T.ManualSeed(31);
        const int b = 2, c = 3, frames = 4, height = 4, width = 6;
        int[] tubelet = [2, 2, 3];
        var x = T.Randn(b, c, frames, height, width);
        var values = x.ToArray<float>();

        var tubelets = new Patchify3d(tubelet, normalize: false).Forward(x);

        var (nt, nh, nw) = (frames / tubelet[0], height / tubelet[1], width / tubelet[2]);
        var size = tubelet[0] * tubelet[1] * tubelet[2] * c;
        Assert.Equal(new long[] { b, nt * nh * nw, size }, tubelets.Shape);
        var actual = tubelets.ToArray<float>();
        for (var n = 0; n < b; n++)
        for (var ti = 0; ti < nt; ti++)
        for (var hi = 0; hi < nh; hi++)
        for (var wi = 0; wi < nw; wi++)
        {
            var token = (ti * nh + hi) * nw + wi;
            var offset = 0;
            for (var dt = 0; dt < tubelet[0]; dt++)
            for (var dh = 0; dh < tubelet[1]; dh++)
            for (var dw = 0; dw < tubelet[2]; dw++)
            for (var ch = 0; ch < c; ch++)
            {
                var (f, r, col) = (ti * tubelet[0] + dt, hi * tubelet[1] + dh, wi * tubelet[2] + dw);
                var source = (((n * c + ch) * frames + f) * height + r) * width + col;
                Assert.Equal(values[source], actual[(n * nt * nh * nw + token) * size + offset++]);
            }
        }
    }

    [Fact]
    public void Patchify_3d_normalises_each_tubelet_to_zero_mean_and_unit_unbiased_variance()
    {
        using var scope = new TensorScope();
        T.ManualSeed(32);
        var tubelets = new Patchify3d([2, 2, 2]).Forward(T.Randn(1, 3, 2, 4, 4) * 5.0 + 3.0).ToArray<float>();
        foreach (var row in tubelets.Chunk(2 * 2 * 2 * 3))
        {
            var mean = row.Average();
            var variance = row.Sum(v => (v - mean) * (v - mean)) / (row.Length - 1);
            Assert.Equal(0.0, mean, 4);
            Assert.Equal(1.0, variance, 3);
        }
    }

    [Fact]
    public void Mae_decoder_3d_puts_every_tubelet_back_in_place_and_refuses_a_cls_token_too_many()
    {
        T.ManualSeed(33);
        using var scope = new TensorScope();
        using var decoder = new MaeDecoder3d(inputs: 16, dim: 16, depth: 1, heads: 2, outputs: 24, grid: [2, 2, 3]);
        var view = new RandomMask(0.5).Forward(T.Randn(3, 12, 16));

        var prediction = decoder.Forward(view.Visible, view);

        Assert.Equal(new long[] { 3, 12, 24 }, prediction.Shape);
        prediction[view.Masked].Square().Mean().Backward();
        Assert.NotEqual(0.0, decoder.MaskToken.Grad!.Abs().Sum().Item<double>());
        using var cls = new ClsToken(16);
        Assert.Contains("has 7 tokens but its mask kept 6", Assert.Throws<ArgumentException>(() => decoder.Forward(cls.Forward(view.Visible), view)).Message);
    }

    [Fact]
    public void The_2d_decoder_keeps_its_state_dict_keys_after_sharing_its_body_with_the_3d_one()
    {
        using var scope = new TensorScope();
        using var decoder = new MaeDecoder(inputs: 8, dim: 8, depth: 1, heads: 2, outputs: 4, grid: [2, 2]);
        // The members' order of the class before it shared its body: parameters, then embed, pos, transformer, pred.
        var members = decoder.StateDict().Keys.Select(k => k.Split('.')[0]).Distinct().ToList();
        Assert.Equal(["mask_token", "embed", "pos", "transformer", "pred"], members);
        Assert.Contains("pos.embedding", decoder.StateDict().Keys);
    }
}
