using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class ComponentTests
{
    [Fact]
    public void Patch_embedding_and_patchify_agree_on_token_and_pixel_order()
    {
        using var scope = new TensorScope();
        const int p = 4;
        using var embed = new PatchEmbed2d(patch: p, dim: p * p);
        // Weight that copies pixel (i, j) of a patch to channel i·p + j, no bias: tokens become raw patches.
        var weight = new float[p * p * p * p];
        for (var k = 0; k < p * p; k++) weight[k * p * p + k] = 1;
        embed.Proj.Weight.CopyFrom(T.FromArray(weight, p * p, 1, p, p));
        embed.Proj.Bias!.CopyFrom(T.Zeros(p * p));

        var x = T.Randn(2, 8, 12);                          // T = 8 frames, F = 12 bins → grid 2 × 3
        var tokens = embed.Forward(x);
        var patches = new Patchify(p, normalize: false).Forward(x);
        Assert.Equal(new long[] { 2, 6, 16 }, tokens.Shape);
        Assert.Equal(new long[] { 2, 6, 16 }, patches.Shape);
        var a = tokens.ToArray<float>();
        var b = patches.ToArray<float>();
        for (var i = 0; i < a.Length; i++)
            Assert.Equal(b[i], a[i], 5);

        // Token 4 = grid row 1 (frames 4..7), column 1 (bins 4..7); its first value is x[0, 4, 4].
        Assert.Equal(x[0][4][4].Item<float>(), patches[0][4][0].Item<float>());
        Assert.Equal(x[0][4][5].Item<float>(), patches[0][4][1].Item<float>());
        Assert.Equal(x[0][5][4].Item<float>(), patches[0][4][4].Item<float>());
    }

    [Fact]
    public void Patchify_normalises_each_patch()
    {
        using var scope = new TensorScope();
        var x = T.Randn(2, 16, 16) * 3 + 5;
        var patches = new Patchify(8).Forward(x);
        var means = patches.Mean(-1).ToArray<float>();
        var variances = patches.Var(-1).ToArray<float>();
        Assert.All(means, m => Assert.Equal(0, m, 4));
        Assert.All(variances, v => Assert.Equal(1, v, 3));
    }

    [Fact]
    public void Sincos_table_matches_the_mae_formula()
    {
        using var scope = new TensorScope();
        using var pos = new SinCos2d(dim: 8, grid: [3, 5]);
        var table = pos.Forward();
        Assert.Equal(new long[] { 1, 15, 8 }, table.Shape);
        var values = table.ToArray<float>();
        // dim 8 → quarter 2 → ω = [1, 1/100]; token (row 2, col 3) = index 13.
        double[] expected = [Math.Sin(3), Math.Sin(0.03), Math.Cos(3), Math.Cos(0.03), Math.Sin(2), Math.Sin(0.02), Math.Cos(2), Math.Cos(0.02)];
        for (var k = 0; k < 8; k++)
            Assert.Equal(expected[k], values[13 * 8 + k], 6);
        Assert.False(table.RequiresGrad);
        Assert.Empty(pos.Parameters());
    }

    [Fact]
    public void Mae_decoder_puts_every_token_back_in_place()
    {
        T.ManualSeed(9);
        using var scope = new TensorScope();
        using var decoder = new MaeDecoder(inputs: 16, dim: 8, depth: 1, heads: 2, outputs: 12, grid: [4, 2]);
        var tokens = T.Randn(3, 8, 16);
        var view = new RandomMask(0.5).Forward(tokens);
        var prediction = decoder.Forward(view.Visible, view);
        Assert.Equal(new long[] { 3, 8, 12 }, prediction.Shape);

        prediction[view.Masked].Square().Mean().Backward();
        Assert.NotNull(decoder.MaskToken.Grad);
        Assert.NotEqual(0.0, decoder.MaskToken.Grad!.Abs().Sum().Item<double>());
    }

    [Fact]
    public void Mae_decoder_refuses_one_token_more_than_its_mask_kept()
    {
        T.ManualSeed(9);
        using var scope = new TensorScope();
        using var decoder = new MaeDecoder(inputs: 16, dim: 8, depth: 1, heads: 2, outputs: 12, grid: [4, 2]);
        var view = new RandomMask(0.5).Forward(T.Randn(3, 8, 16));
        using var cls = new ClsToken(16);
        var error = Assert.Throws<ArgumentException>(() => decoder.Forward(cls.Forward(view.Visible), view));
        Assert.Contains("has 5 tokens but its mask kept 4", error.Message);
    }

    [Fact]
    public void Transformer_keeps_shape_and_checks_input()
    {
        T.ManualSeed(10);
        using var scope = new TensorScope();
        using var transformer = new Transformer(dim: 16, depth: 2, heads: 4, dropPath: 0.1);
        Assert.Equal(new long[] { 2, 7, 16 }, transformer.Forward(T.Randn(2, 7, 16)).Shape);
        var error = Assert.Throws<ArgumentException>(() => transformer.Forward(T.Randn(2, 7, 8)));
        Assert.Contains("Float32[2, 7, 8]", error.Message);
    }

    [Fact]
    public void Drop_path_is_identity_in_eval_and_drops_whole_samples_in_training()
    {
        T.ManualSeed(12);
        using var scope = new TensorScope();
        var drop = new DropPath(0.5);
        var x = T.Ones(64, 3);
        drop.Eval();
        Assert.Equal(x.ToArray<float>(), drop.Forward(x).ToArray<float>());
        drop.Train();
        var rows = drop.Forward(x).ToArray<float>().Chunk(3).Select(r => r.Distinct().Single()).ToList();
        Assert.All(rows, r => Assert.True(r == 0f || r == 2f));
        Assert.Contains(0f, rows);
        Assert.Contains(2f, rows);
    }

    [Fact]
    public void Components_are_modules_with_one_constructor_and_one_forward_or_stateless_static_methods()
    {
        var modules = typeof(Module).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(ComponentAttribute), false).Length > 0)
            .ToList();
        var ops = typeof(Module).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(m => m.GetCustomAttributes(typeof(ComponentAttribute), false).Length > 0)
            .ToList();
        static string Name(System.Reflection.MemberInfo member) => ((ComponentAttribute)member.GetCustomAttributes(typeof(ComponentAttribute), false)[0]).Name;
        Assert.Equal(
            ["av_matching", "cls_token", "conv_decoder_2d", "cross_attention", "diffusion_decoder", "diffusion_decoder_3d", "diffusion_noise", "inverse_block_mask", "layer_norm", "linear", "mae_decoder", "mae_decoder_3d", "patch_embed_2d", "patchify", "patchify_3d",
             "random_mask", "replay_correlation", "select_patches", "selection_decoder", "shared_transformer", "sincos_2d", "sincos_3d", "transformer", "tubelet_embed_3d"],
            modules.Select(Name).Order());
        Assert.Equal(["concat_batch", "concat_correlation", "concat_features", "concat_tokens", "detach", "drop_cls", "info_nce", "layer_average", "mean_tokens", "mixup", "mse", "repeat_interleave", "split_batch", "split_tokens", "take_cls", "take_tokens"], ops.Select(Name).Order());
        foreach (var type in modules)
        {
            Assert.True(type.IsSubclassOf(typeof(Module)), type.Name);
            Assert.Single(type.GetConstructors());
            Assert.Single(type.GetMethods(), m => m.Name == "Forward");
        }
        // An op returns a tensor, or a result whose tensors a spec selects by name (split_tokens' `.first`), with at most a flag
        // beside them (concat_correlation's PatchCorrelation.Past, which selection reads).
        Assert.All(ops, m => Assert.True(m.ReturnType == typeof(Tensor) ||
                                         m.ReturnType.GetProperties().All(p => p.PropertyType == typeof(Tensor) || p.PropertyType == typeof(bool)), m.Name));
    }
}
