using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Selection;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Selection;

/// <summary>The decoder over selected patches against the PyTorch reference, its cost against MAE's decoder of every patch,
/// and its use in a reconstruction loss.</summary>
public sealed class SelectionDecoderTests
{
    private static PatchSelection Selection(Tensor visibleIndices, Tensor targetIndices, long batch, long tokens)
    {
        var masked = T.Zeros([batch, tokens], DType.Float32).Scatter(1, targetIndices, T.Ones(targetIndices.Shape)).Gt(0.5);
        return new PatchSelection(T.Zeros(batch, visibleIndices.Shape[1], 1), visibleIndices, targetIndices, masked, masked.LogicalNot());
    }

    [Fact]
    public void Matches_the_reference_forward_and_backward()
    {
        using var golden = new Golden("selection_decoder");
        using var scope = new TensorScope();
        using var decoder = new SelectionDecoder(inputs: 12, dim: 16, depth: 2, heads: 2, outputs: 6, grid: [3, 4]);
        var loaded = decoder.LoadStateDict(golden.Parameters("visible", "visible_indices", "target_indices", "table", "output", "probe"), strict: false);
        Assert.Equal(["pos.embedding"], loaded.MissingKeys);
        Assert.Empty(loaded.UnexpectedKeys);
        Golden.AssertClose(golden["table"], decoder.Pos.Forward().Squeeze(0), "pos.embedding", atol: 1e-6, rtol: 0);
        var visible = golden["visible"].Clone().Detach();
        visible.RequiresGrad = true;

        var y = decoder.Forward(visible, Selection(golden["visible_indices"], golden["target_indices"], 2, 12));
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.visible"], visible.Grad!, "grad.visible");
        var checkedParameters = 0;
        foreach (var (key, parameter) in decoder.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
            checkedParameters++;
        }
        Assert.Equal(2 + 1 + 2 * 12 + 2 + 2, checkedParameters);  // embed, mask token, two blocks, norm, pred
    }

    [Fact]
    public void Decodes_only_the_kept_patches_and_costs_its_closed_form_below_decoding_every_patch()
    {
        using var scope = new TensorScope();
        const int batch = 2, inputs = 24, dim = 32, depth = 2, heads = 4, outputs = 10;
        int[] grid = [8, 8];                                         // N = 64
        T.ManualSeed(7);
        using var selector = new PatchSelector(keep: 0.5, encode: 0.2);   // E = 12, T = 20 of 64
        var selection = selector.Forward(T.Randn(batch, 64, inputs), T.Rand(batch, 64).Softmax(1), new PatchCorrelation(T.Zeros(batch, 64), Past: false));
        using var decoder = new SelectionDecoder(inputs, dim, depth, heads, outputs, grid);
        using var mae = new MaeDecoder(inputs, dim, depth, heads, outputs, grid);
        var visible = T.Randn(batch, 12, inputs);

        var (hidden, restore) = AllPatches(selection, batch, 64);
        long selected, all;
        using (var cost = CostCounter.Start())
        {
            Assert.Equal(new long[] { batch, 20, outputs }, decoder.Forward(visible, selection).Shape);
            selected = cost.ForwardFlops;
        }
        using (var cost = CostCounter.Start())
        {
            mae.Forward(visible, new MaskedView(visible, hidden, selection.VisibleIndices, restore));
            all = cost.ForwardFlops;
        }
        static long Blocks(long tokens) => depth * (24L * batch * tokens * dim * dim + 4L * batch * tokens * tokens * dim);
        Assert.Equal(2L * batch * 12 * inputs * dim + Blocks(32) + 2L * batch * 20 * dim * outputs, selected);
        Assert.Equal(2L * batch * 12 * inputs * dim + Blocks(64) + 2L * batch * 64 * dim * outputs, all);
        Assert.True(selected < all / 2, $"{selected} FLOPs for 32 of 64 patches vs {all} for all");
    }

    // MAE's restore indices for a view that kept the selection's visible patches, in that order.
    private static (Tensor Hidden, Tensor Restore) AllPatches(PatchSelection selection, long batch, long tokens)
    {
        var encoded = selection.VisibleIndices.Shape[1];
        var hidden = T.Ones([batch, tokens], DType.Float32).Scatter(1, selection.VisibleIndices, T.Zeros(batch, encoded)).Gt(0.5);
        var rest = T.Arange(tokens).Unsqueeze(0).Expand(batch, tokens).MaskedSelect(hidden).Reshape(batch, tokens - encoded);
        return (hidden, T.Cat([selection.VisibleIndices, rest], 1).Argsort(1));
    }

    [Fact]
    public void Composes_with_mse_through_take_tokens_on_the_targets()
    {
        using var scope = new TensorScope();
        T.ManualSeed(8);
        var patches = T.Randn(2, 12, 6);                              // the targets' pixels, [B, N, P]
        var targets = T.FromArray(new long[] { 3, 0, 7, 11, 1, 2 }, 2, 3);
        var picked = Tokens.TakeTokens(patches, targets);             // [B, 3, P]
        Assert.Equal(patches[0][3].ToArray<float>(), picked[0][0].ToArray<float>());
        Assert.Equal(patches[1][2].ToArray<float>(), picked[1][2].ToArray<float>());
        Assert.Equal(0f, Losses.Mse(picked, Tokens.TakeTokens(patches, targets)).Item<float>());

        using var decoder = new SelectionDecoder(inputs: 4, dim: 8, depth: 1, heads: 2, outputs: 6, grid: [3, 4]);
        var selection = Selection(T.FromArray(new long[] { 5, 6, 4, 8 }, 2, 2), targets, 2, 12);
        var loss = Losses.Mse(decoder.Forward(T.Randn(2, 2, 4), selection), Tokens.TakeTokens(patches, selection.TargetIndices));
        Assert.Equal(Array.Empty<long>(), loss.Shape);
        Assert.True(loss.Item<float>() > 0);
    }

    [Fact]
    public void Refuses_a_cls_token_left_on_the_encoder_output()
    {
        using var scope = new TensorScope();
        using var decoder = new SelectionDecoder(inputs: 4, dim: 8, depth: 1, heads: 2, outputs: 6, grid: [3, 4]);
        var selection = Selection(T.FromArray(new long[] { 5, 6 }, 1, 2), T.FromArray(new long[] { 1, 2 }, 1, 2), 1, 12);
        var error = Assert.Throws<ArgumentException>(() => decoder.Forward(T.Randn(1, 3, 4), selection));
        Assert.Contains("CLS", error.Message);
    }
}
