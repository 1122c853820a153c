using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>EAT's teacher target and decoder input against PyTorch 1.13.1, from the committed goldens
/// (Goldens/make_eat_goldens.py).</summary>
public sealed class EatPyTorchEquivalenceTests
{
    [Fact]
    public void Layer_average_matches_data2vec2_targets_forward_and_backward()
    {
        using var golden = new Golden("layer_average");
        using var scope = new TensorScope();
        var ffn = Enumerable.Range(0, 3).Select(i =>
        {
            var t = golden[$"ffn.{i}"].Clone().Detach();
            t.RequiresGrad = true;
            return t;
        }).ToArray();
        var layers = new TransformerLayers(ffn[^1], ffn, ffn);

        var y = TeacherTargets.LayerAverage(layers);
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        for (var i = 0; i < ffn.Length; i++)
            Golden.AssertClose(golden[$"grad.ffn.{i}"], ffn[i].Grad!, $"grad.ffn.{i}");

        Golden.AssertClose(golden["output.top2"], TeacherTargets.LayerAverage(layers, top: 2), "output.top2");
        Golden.AssertClose(golden["output.plain"], TeacherTargets.LayerAverage(layers, skip: 0, instanceNorm: false, finalNorm: false), "output.plain");
    }

    [Fact]
    public void Conv_decoder_2d_on_a_masked_view_matches_data2vec2_decoder_input_forward_and_backward()
    {
        using var golden = new Golden("conv_decoder_2d_masked");
        using var scope = new TensorScope();
        using var decoder = new ConvDecoder2d(layers: 2, dim: 32, kernel: 3, groups: 16, grid: [4, 4], noise: 0);
        decoder.LoadStateDict(golden.Parameters("visible", "keep_indices", "restore_indices", "masked", "output", "probe"));
        var visible = golden["visible"].Clone().Detach();
        visible.RequiresGrad = true;
        var view = new MaskedView(visible, golden["masked"], golden["keep_indices"], golden["restore_indices"]);

        var y = decoder.Forward(visible, view);
        Golden.AssertClose(golden["output"], y, "output");
        (y * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.visible"], visible.Grad!, "grad.visible");
        var checkedParameters = 0;
        foreach (var (key, parameter) in decoder.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
            checkedParameters++;
        }
        Assert.Equal(6, checkedParameters);
    }

    [RequiresTorchFact]
    public void The_committed_eat_goldens_are_what_make_eat_goldens_py_writes() =>
        Golden.AssertScriptRemakes("make_eat_goldens.py", "layer_average", "conv_decoder_2d_masked");
}
