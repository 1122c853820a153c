using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Forward values and gradients against PyTorch 1.13.1, from the committed goldens (Goldens/make_goldens.py).</summary>
public sealed class PyTorchEquivalenceTests
{
    private static void ForwardBackward(Golden golden, Module module, Func<Tensor, Tensor> forward, double atol = 1e-5)
    {
        using var scope = new TensorScope();
        module.LoadStateDict(golden.Parameters("input", "output", "probe"));
        var x = golden["input"].Clone().Detach();
        x.RequiresGrad = true;
        var y = forward(x);
        Golden.AssertClose(golden["output"], y, "output", atol);
        (y * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.input"], x.Grad!, "grad.input", atol);
        var checkedParameters = 0;
        foreach (var (key, parameter) in module.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key, atol);
            checkedParameters++;
        }
        Assert.True(checkedParameters > 0);
    }

    [Theory]
    [InlineData("transformer_block_pre", Norm.Pre)]
    [InlineData("transformer_block_post", Norm.Post)]
    public void Transformer_block_matches_PyTorch_forward_and_backward(string name, Norm norm)
    {
        using var golden = new Golden(name);
        using var block = new TransformerBlock(dim: 16, heads: 4, mlp: 4.0, norm: norm);
        Assert.Equal(12, block.NamedParameters().Count());
        ForwardBackward(golden, block, block.Forward);
    }

    [Fact]
    public void Conv_decoder_2d_matches_PyTorch_forward_and_backward()
    {
        using var golden = new Golden("conv_decoder_2d");
        using var decoder = new ConvDecoder2d(layers: 2, dim: 32, kernel: 3, groups: 16, grid: [4, 4]);
        ForwardBackward(golden, decoder, decoder.Decode);
    }

    [Fact]
    public void Scaled_dot_product_attention_matches_explicit_attention_in_PyTorch()
    {
        using var golden = new Golden("sdpa");
        using var scope = new TensorScope();
        var (q, k, v) = (golden["q"].Clone(), golden["k"].Clone(), golden["v"].Clone());
        foreach (var t in new[] { q, k, v }) t.RequiresGrad = true;
        var y = Functional.ScaledDotProductAttention(q, k, v);
        var masked = Functional.ScaledDotProductAttention(q, k, v, golden["mask"]);
        Golden.AssertClose(golden["output"], y, "output", 1e-12, 1e-10);
        Golden.AssertClose(golden["output_masked"], masked, "output_masked", 1e-12, 1e-10);
        ((y + masked) * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.q"], q.Grad!, "grad.q", 1e-12, 1e-10);
        Golden.AssertClose(golden["grad.k"], k.Grad!, "grad.k", 1e-12, 1e-10);
        Golden.AssertClose(golden["grad.v"], v.Grad!, "grad.v", 1e-12, 1e-10);
    }

    [Fact]
    public void Three_AdamW_steps_match_torch_optim_AdamW()
    {
        using var golden = new Golden("adamw");
        using var scope = new TensorScope();
        var w = new Parameter(golden["w.initial"].Clone());
        var b = new Parameter(golden["b.initial"].Clone());
        using var optimizer = new AdamW([new("w", w), new("b", b)], learningRate: 1e-2,
            new OptimizerSettings(Betas: [0.9, 0.95], Eps: 1e-8, WeightDecay: 0.05));
        for (var step = 1; step <= 3; step++)
        {
            w.Grad = golden[$"w.grad.{step}"].Clone();
            b.Grad = golden[$"b.grad.{step}"].Clone();
            optimizer.Step();
            Golden.AssertClose(golden[$"w.after.{step}"], w, $"w after step {step}", 1e-7, 1e-6);
            Golden.AssertClose(golden[$"b.after.{step}"], b, $"b after step {step}", 1e-7, 1e-6);
        }
        Golden.AssertClose(golden["w.exp_avg"], optimizer.StateDict()["w.exp_avg"], "w.exp_avg", 1e-8, 1e-6);
        Golden.AssertClose(golden["w.exp_avg_sq"], optimizer.StateDict()["w.exp_avg_sq"], "w.exp_avg_sq", 1e-8, 1e-6);
        w.Dispose();
        b.Dispose();
    }
}
