using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Putting patches back: <see cref="IPatchTarget.Unpatchify"/> is the exact inverse of <see cref="IPatchTarget.Cut"/>,
/// element by element against a reference written from the layout, and <see cref="Reconstruction"/> pastes visible patches
/// from the input and hidden ones from the prediction.</summary>
public sealed class UnpatchifyTests
{
    public static TheoryData<long, long, long, int> Spectrograms => new()
    {
        { 1, 16, 16, 16 },
        { 2, 8, 12, 4 },
        { 3, 256, 128, 16 },
        { 2, 6, 9, 3 },
    };

    [Theory]
    [MemberData(nameof(Spectrograms))]
    public void Patchify_unpatchify_is_the_identity_both_ways(long batch, long frames, long mel, int patch)
    {
        using var scope = new TensorScope();
        T.ManualSeed(batch * 1000 + frames);
        using var patchify = new Patchify(patch);
        var x = T.Randn(batch, frames, mel);

        var back = patchify.Unpatchify(patchify.Cut(x), x.Shape);
        Assert.Equal(x.Shape, back.Shape);
        Assert.Equal(x.ToArray<float>(), back.ToArray<float>());

        var patches = T.Randn(batch, frames / patch * (mel / patch), (long)patch * patch);
        Assert.Equal(patches.ToArray<float>(), patchify.Cut(patchify.Unpatchify(patches, x.Shape)).ToArray<float>());
    }

    [Fact]
    public void Unpatchify_puts_patch_element_i_j_at_frame_row_times_p_plus_i_and_bin_column_times_p_plus_j()
    {
        using var scope = new TensorScope();
        const int p = 2, batch = 2, rows = 3, cols = 2;
        var values = Enumerable.Range(0, batch * rows * cols * p * p).Select(v => (float)v).ToArray();
        var patches = T.FromArray(values, batch, rows * cols, p * p);

        var x = new Patchify(p).Unpatchify(patches, [batch, rows * p, cols * p]).ToArray<float>();

        for (var b = 0; b < batch; b++)
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        for (var i = 0; i < p; i++)
        for (var j = 0; j < p; j++)
        {
            var patch = ((b * rows + r) * cols + c) * p * p + i * p + j;           // time-major tokens, row-major within
            var element = (b * rows * p + r * p + i) * cols * p + c * p + j;
            Assert.Equal(values[patch], x[element]);
        }
    }

    public static TheoryData<long, long, long, long, long, int[]> Videos => new()
    {
        { 1, 3, 8, 64, 64, [2, 16, 16] },
        { 2, 3, 4, 4, 6, [2, 2, 3] },
        { 2, 1, 6, 9, 4, [3, 3, 2] },
    };

    [Theory]
    [MemberData(nameof(Videos))]
    public void Patchify_3d_unpatchify_is_the_identity_both_ways(long batch, long channels, long frames, long height, long width, int[] tubelet)
    {
        using var scope = new TensorScope();
        T.ManualSeed(batch * 7 + frames);
        using var patchify = new Patchify3d(tubelet);
        var x = T.Randn(batch, channels, frames, height, width);

        var back = patchify.Unpatchify(patchify.Cut(x), x.Shape);
        Assert.Equal(x.Shape, back.Shape);
        Assert.Equal(x.ToArray<float>(), back.ToArray<float>());

        var count = frames / tubelet[0] * (height / tubelet[1]) * (width / tubelet[2]);
        var patches = T.Randn(batch, count, tubelet[0] * tubelet[1] * tubelet[2] * channels);
        Assert.Equal(patches.ToArray<float>(), patchify.Cut(patchify.Unpatchify(patches, x.Shape)).ToArray<float>());
    }

    [Fact]
    public void Unpatchify_3d_puts_each_tubelet_element_where_videomae_s_order_says()
    {
        using var scope = new TensorScope();
        const int b = 2, c = 3, nt = 2, nh = 2, nw = 3;
        int[] tubelet = [2, 2, 1];
        var (t, h, w) = (tubelet[0], tubelet[1], tubelet[2]);
        var size = t * h * w * c;
        var values = Enumerable.Range(0, b * nt * nh * nw * size).Select(v => (float)v).ToArray();
        var patches = T.FromArray(values, b, nt * nh * nw, size);

        var x = new Patchify3d(tubelet).Unpatchify(patches, [b, c, nt * t, nh * h, nw * w]).ToArray<float>();

        var (frames, height, width) = (nt * t, nh * h, nw * w);
        for (var n = 0; n < b; n++)
        for (var ti = 0; ti < nt; ti++)
        for (var hi = 0; hi < nh; hi++)
        for (var wi = 0; wi < nw; wi++)
        for (var dt = 0; dt < t; dt++)
        for (var dh = 0; dh < h; dh++)
        for (var dw = 0; dw < w; dw++)
        for (var ch = 0; ch < c; ch++)
        {
            var token = (ti * nh + hi) * nw + wi;
            var patch = (n * nt * nh * nw + token) * size + ((dt * h + dh) * w + dw) * c + ch; // frame, row, column, channel last
            var element = (((n * c + ch) * frames + ti * t + dt) * height + hi * h + dh) * width + wi * w + dw;
            Assert.Equal(values[patch], x[element]);
        }
    }

    [Fact]
    public void Unnormalize_undoes_norm_pix_with_each_patch_s_own_statistics()
    {
        using var scope = new TensorScope();
        T.ManualSeed(5);
        var audio = T.Randn(2, 32, 16) * 3 + 2;
        var video = T.Randn(1, 3, 4, 8, 8) * 0.5 - 1;
        using var patchify = new Patchify(8);
        using var patchify3d = new Patchify3d([2, 4, 4]);
        (IPatchTarget Target, Tensor Input, Tensor Standardised)[] cases =
        [
            (patchify, audio, patchify.Forward(audio)),
            (patchify3d, video, patchify3d.Forward(video)),
        ];

        foreach (var (target, input, standardised) in cases)
        {
            var back = target.Unnormalize(standardised, input).ToArray<float>();
            var original = target.Cut(input).ToArray<float>();
            for (var i = 0; i < original.Length; i++) Assert.Equal(original[i], back[i], 4);
        }
        // Without norm_pix the prediction is already in the input's units.
        var raw = new Patchify(8, normalize: false);
        var prediction = T.Randn(2, 8, 64);
        Assert.Equal(prediction.ToArray<float>(), raw.Unnormalize(prediction, audio).ToArray<float>());
    }

    [Fact]
    public void A_reconstruction_pastes_visible_patches_from_the_input_and_hidden_ones_from_the_unnormalised_prediction()
    {
        using var scope = new TensorScope();
        T.ManualSeed(9);
        using var patchify = new Patchify(4);
        var input = T.Randn(1, 8, 8) * 2 + 1;                  // 2 x 2 patches of 4 x 4
        var mask = T.FromArray(new[] { false, true, true, false }, 1, 4);
        var prediction = T.Randn(1, 4, 16);
        var reconstruction = new Reconstruction("recon", input, mask, prediction, patchify);

        var pasted = reconstruction.Pasted();
        var hidden = reconstruction.Hidden();

        Assert.Equal(input.Shape, pasted.Shape);
        Assert.Equal(input.Shape, hidden.Shape);
        var x = input.ToArray<float>();
        var y = pasted.ToArray<float>();
        var m = hidden.ToArray<float>();
        var predicted = patchify.Unpatchify(patchify.Unnormalize(prediction, input), input.Shape).ToArray<float>();
        for (var frame = 0; frame < 8; frame++)
        for (var bin = 0; bin < 8; bin++)
        {
            var i = frame * 8 + bin;
            var isHidden = (frame / 4, bin / 4) is (0, 1) or (1, 0);     // tokens 1 and 2, time-major
            Assert.Equal(isHidden ? 1f : 0f, m[i]);
            Assert.Equal(isHidden ? predicted[i] : x[i], y[i]);
        }
    }

    [Fact]
    public void Patches_that_do_not_fit_the_shape_are_refused_with_both_shapes()
    {
        using var scope = new TensorScope();
        var error = Assert.Throws<ArgumentException>(() => new Patchify(4).Unpatchify(T.Zeros(1, 5, 16), [1, 8, 8]));
        Assert.Contains("[1, 8, 8]", error.Message);
        Assert.Contains("[1, 4, 16]", error.Message);
        var video = Assert.Throws<ArgumentException>(() => new Patchify3d([2, 2, 2]).Unpatchify(T.Zeros(1, 8, 8), [1, 3, 4, 4, 4]));
        Assert.Contains("[1, 8, 24]", video.Message);
    }
}
