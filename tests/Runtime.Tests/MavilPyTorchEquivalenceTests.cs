using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>MAViL's components against PyTorch 1.13.1, from the committed goldens (Goldens/make_mavil_goldens.py):
/// positions, tubelet embedding, 2-D and 3-D reconstruction targets, both MAE decoders, InfoNCE.</summary>
public sealed class MavilPyTorchEquivalenceTests
{
    private static Tensor Leaf(Tensor t)
    {
        var leaf = t.Clone().Detach();
        leaf.RequiresGrad = true;
        return leaf;
    }

    [Fact]
    public void Sincos_tables_match_MAE_s_2d_table_and_the_documented_3d_one()
    {
        using var golden = new Golden("sincos_positions");
        using var scope = new TensorScope();
        using var positions2d = new SinCos2d(dim: 16, grid: [3, 5]);
        using var positions3d = new SinCos3d(dim: 32, grid: [3, 2, 4]);
        Golden.AssertClose(golden["sincos_2d"], positions2d.Forward().Squeeze(0), "sincos_2d", atol: 1e-6, rtol: 0);
        Golden.AssertClose(golden["sincos_3d"], positions3d.Forward().Squeeze(0), "sincos_3d", atol: 1e-6, rtol: 0);
    }

    [Fact]
    public void Tubelet_embedding_matches_MAE_ST_s_patch_embed_forward_and_backward()
    {
        using var golden = new Golden("tubelet_embed_3d");
        using var scope = new TensorScope();
        using var embed = new TubeletEmbed3d(tubelet: [2, 2, 3], dim: 8, channels: 3);
        embed.LoadStateDict(golden.Parameters("input", "output", "probe"));
        var x = Leaf(golden["input"]);

        var y = embed.Forward(x);
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.input"], x.Grad!, "grad.input");
        Golden.AssertClose(golden["grad.proj.weight"], embed.Proj.Weight.Grad!, "grad.proj.weight");
        Golden.AssertClose(golden["grad.proj.bias"], embed.Proj.Bias!.Grad!, "grad.proj.bias");
    }

    [Fact]
    public void Patchify_2d_and_3d_match_MAE_s_patchify_and_norm_pix_forward_and_backward()
    {
        using var golden = new Golden("patchify");
        using var scope = new TensorScope();
        using var audioTargets = new Patchify(patch: 4);
        using var videoTargets = new Patchify3d(tubelet: [2, 2, 3]);
        using var audioPatches = new Patchify(patch: 4, normalize: false);
        using var videoTubelets = new Patchify3d(tubelet: [2, 2, 3], normalize: false);
        var (audio, video) = (Leaf(golden["audio"]), Leaf(golden["video"]));

        Golden.AssertClose(golden["audio.raw"], audioPatches.Forward(audio), "audio.raw", atol: 0, rtol: 0);
        Golden.AssertClose(golden["video.raw"], videoTubelets.Forward(video), "video.raw", atol: 0, rtol: 0);
        var a = audioTargets.Forward(audio);
        var v = videoTargets.Forward(video);
        Golden.AssertClose(golden["audio.normalised"], a, "audio.normalised");
        Golden.AssertClose(golden["video.normalised"], v, "video.normalised");
        ((a * golden["audio.probe"]).Sum() + (v * golden["video.probe"]).Sum()).Backward();
        Golden.AssertClose(golden["grad.audio"], audio.Grad!, "grad.audio");
        Golden.AssertClose(golden["grad.video"], video.Grad!, "grad.video");
    }

    [Theory]
    [InlineData("mae_decoder_2d")]
    [InlineData("mae_decoder_3d")]
    public void Mae_decoders_match_MAE_s_forward_decoder_forward_and_backward(string name)
    {
        using var golden = new Golden(name);
        using var scope = new TensorScope();
        using MaskTokenDecoder decoder = name == "mae_decoder_2d"
            ? new MaeDecoder(inputs: 16, dim: 16, depth: 2, heads: 2, outputs: 24, grid: [3, 4])
            : new MaeDecoder3d(inputs: 16, dim: 16, depth: 2, heads: 2, outputs: 24, grid: [2, 2, 3]);
        // The position table is the decoder's own (not loaded), so the output also checks it.
        var loaded = decoder.LoadStateDict(golden.Parameters("visible", "keep_indices", "restore_indices", "masked", "table", "output", "probe"), strict: false);
        Assert.Equal(["pos.embedding"], loaded.MissingKeys);
        Assert.Empty(loaded.UnexpectedKeys);
        Golden.AssertClose(golden["table"], decoder.Pos.Forward(), "pos.embedding", atol: 1e-6, rtol: 0);
        var visible = Leaf(golden["visible"]);
        var view = new MaskedView(visible, golden["masked"], golden["keep_indices"], golden["restore_indices"]);

        var y = name == "mae_decoder_2d" ? ((MaeDecoder)decoder).Forward(visible, view) : ((MaeDecoder3d)decoder).Forward(visible, view);
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.visible"], visible.Grad!, "grad.visible");
        var checkedParameters = 0;
        foreach (var (key, parameter) in decoder.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
            checkedParameters++;
        }
        Assert.Equal(2 + 1 + 2 * 12 + 2 + 2, checkedParameters); // embed, mask token, 2 blocks, final norm, pred
    }

    [Fact]
    public void Info_nce_matches_CAV_MAE_s_contrastive_loss_in_each_direction_and_its_gradient()
    {
        using var golden = new Golden("info_nce");
        using var scope = new TensorScope();
        var (a, b) = (Leaf(golden["a"]), Leaf(golden["b"]));
        Golden.AssertClose(golden["a_to_b"], Contrastive.InfoNce(a, b, 0.1, ContrastDirection.AToB), "a_to_b");
        Golden.AssertClose(golden["b_to_a"], Contrastive.InfoNce(a, b, 0.1, ContrastDirection.BToA), "b_to_a");
        var both = Contrastive.InfoNce(a, b, 0.1, ContrastDirection.Both);
        Golden.AssertClose(golden["both"], both, "both");
        both.Backward();
        Golden.AssertClose(golden["grad.a"], a.Grad!, "grad.a");
        Golden.AssertClose(golden["grad.b"], b.Grad!, "grad.b");
    }

    [RequiresTorchFact]
    public void The_committed_mavil_goldens_are_what_make_mavil_goldens_py_writes() =>
        Golden.AssertScriptRemakes("make_mavil_goldens.py",
            "sincos_positions", "tubelet_embed_3d", "patchify", "mae_decoder_2d", "mae_decoder_3d", "info_nce");
}
