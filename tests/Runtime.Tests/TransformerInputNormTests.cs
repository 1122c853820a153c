using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>EAT's post-norm encoder (data2vec 2.0's <c>layer_norm_first: false</c>) normalises its input before the
/// first block; pre-norm does not (it normalises after the last).</summary>
public sealed class TransformerInputNormTests
{
    [Fact]
    public void A_post_norm_transformer_normalises_its_input_before_the_first_block()
    {
        T.ManualSeed(7);
        using var scope = new TensorScope();
        using var post = new Transformer(dim: 8, depth: 2, heads: 2, norm: Norm.Post);
        using var pre = new Transformer(dim: 8, depth: 2, heads: 2, norm: Norm.Pre);
        post.Eval();
        Assert.Contains("input_norm.weight", post.StateDict().Keys);
        Assert.Contains("input_norm.bias", post.StateDict().Keys);
        Assert.DoesNotContain(pre.StateDict().Keys, k => k.StartsWith("input_norm", StringComparison.Ordinal));

        // Non-trivial affine parameters, so that the test sees them used.
        post.InputNorm!.Weight!.Detach().Fill_(1.5);
        post.InputNorm.Bias!.Detach().Fill_(-0.25);
        var x = T.Randn(2, 5, 8) * 3 + 1;
        var mean = x.Mean(-1, keepDim: true);
        var variance = (x - mean).Square().Mean(-1, keepDim: true);
        var normalised = (x - mean) / (variance + 1e-6).Sqrt() * 1.5 - 0.25;   // LayerNorm, eps 1e-6, by hand
        var expected = post.Blocks[1].Forward(post.Blocks[0].Forward(normalised));
        Assert.Equal(expected.ToArray<float>(), post.Forward(x).ToArray<float>(), new FloatTolerance(2e-5f));
        Assert.Equal(post.Forward(x).ToArray<float>(), post.ForwardLayers(x).Output.ToArray<float>());
    }

    [Fact]
    public void An_ema_teacher_copies_the_input_norm()
    {
        T.ManualSeed(8);
        using var scope = new TensorScope();
        using var student = new Transformer(dim: 4, depth: 1, heads: 2, norm: Norm.Post);
        using var teacher = new Transformer(dim: 4, depth: 1, heads: 2, norm: Norm.Post);
        var ema = new Ema([student], [teacher]);
        Assert.Equal(student.InputNorm!.Weight!.ToArray<float>(), teacher.InputNorm!.Weight!.ToArray<float>());

        student.InputNorm.Weight.Detach().Fill_(3.0);
        ema.Step(0.75);
        // d·teacher + (1 − d)·student = 0.75·1 + 0.25·3
        Assert.All(teacher.InputNorm.Weight.ToArray<float>(), w => Assert.Equal(1.5f, w, 6));
    }
}
