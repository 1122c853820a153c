using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using F = AvDsl.Runtime.Torch.Functional;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>Video embeddings, cross-attention, per-layer Transformer outputs, drop-path, layer decay and EMA.</summary>
public sealed class NewModuleTests
{
    [Fact]
    public void Tubelet_embedding_is_a_linear_map_of_each_tubelet_in_time_major_order()
    {
        T.ManualSeed(31);
        using var scope = new TensorScope();
        using var embed = new TubeletEmbed3d([2, 2, 2], dim: 3, channels: 1);
        var video = T.Randn(1, 1, 4, 2, 4); // grid 2 x 1 x 2 → 4 tokens
        var tokens = embed.Forward(video);
        Assert.Equal(new long[] { 1, 4, 3 }, tokens.Shape);
        var w = embed.Proj.Weight.Reshape(3, 8);
        var b = embed.Proj.Bias!;
        // token (t=1, h=0, w=1) = index 3: frames 2..3, rows 0..1, cols 2..3
        var tubelet = video.Slice(2, 2, 4).Slice(4, 2, 4).Reshape(8);
        var expected = w.Matmul(tubelet) + b;
        Assert.Equal(expected.ToArray<float>(), tokens[0][3].ToArray<float>(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void SinCos3d_repeats_the_2d_table_per_frame_and_encodes_the_frame_in_the_last_quarter()
    {
        var table = SinCos3d.Table(dim: 16, frames: 3, rows: 2, cols: 2);
        var spatial = SinCos2d.Table(12, 2, 2);
        // token (t=2, r=1, c=0) = index 2·4 + 2 = 10
        var token = table.AsSpan(10 * 16, 16).ToArray();
        Assert.Equal(spatial.AsSpan(2 * 12, 12).ToArray(), token[..12]);
        Assert.Equal((float)Math.Sin(2.0), token[12], 6);
        Assert.Equal((float)Math.Sin(2.0 / 100.0), token[13], 6); // ω₁ = 10000^(-1/2)
        Assert.Equal((float)Math.Cos(2.0), token[14], 6);
        using var module = new SinCos3d(16, [3, 2, 2]);
        Assert.Equal(new long[] { 1, 12, 16 }, module.Forward().Shape);
        Assert.Throws<ArgumentException>(() => new SinCos3d(12, [1, 1, 1]));
    }

    [Fact]
    public void Cross_attention_equals_explicit_softmax_attention()
    {
        T.ManualSeed(32);
        using var scope = new TensorScope();
        using var attention = new MultiHeadCrossAttention(dim: 8, heads: 2, context: 6);
        var x = T.Randn(2, 3, 8);
        var context = T.Randn(2, 5, 6);
        var y = attention.Forward(x, context);
        var q = attention.Q.Forward(x).Reshape(2, 3, 2, 4).Transpose(1, 2);
        var kv = attention.Kv.Forward(context).Reshape(2, 5, 2, 2, 4).Permute(2, 0, 3, 1, 4);
        var scores = q.Matmul(kv[0].Transpose(-2, -1)) * (1 / Math.Sqrt(4));
        var mixed = scores.Softmax(-1).Matmul(kv[1]).Transpose(1, 2).Reshape(2, 3, 8);
        Assert.Equal(attention.Proj.Forward(mixed).ToArray<float>(), y.ToArray<float>(), new FloatTolerance(1e-5f));
        var error = Assert.Throws<ArgumentException>(() => attention.Forward(x, T.Randn(2, 5, 8)));
        Assert.Contains("Float32[2, 5, 8]", error.Message);
    }

    [Theory]
    [InlineData(Norm.Pre)]
    [InlineData(Norm.Post)]
    public void Transformer_returns_every_layer_output_and_ffn_output_before_the_residual(Norm norm)
    {
        T.ManualSeed(33);
        using var scope = new TensorScope();
        using var transformer = new Transformer(dim: 8, depth: 3, heads: 2, norm: norm);
        transformer.Eval();
        var x = T.Randn(2, 4, 8);
        var all = transformer.ForwardLayers(x);
        Assert.Equal(3, all.Layers.Count);
        Assert.Equal(3, all.Ffn.Count);
        Assert.Equal(transformer.Forward(x).ToArray<float>(), all.Output.ToArray<float>());
        // Recompute block 1 by hand from block 0's output.
        var block = transformer.Blocks[1];
        var h0 = all.Layers[0];
        Tensor ffn, output;
        if (norm == Norm.Pre)
        {
            var h = h0 + block.Attn.Forward(block.Norm1.Forward(h0));
            ffn = block.Mlp.Forward(block.Norm2.Forward(h));
            output = h + ffn;
        }
        else
        {
            var h = block.Norm1.Forward(h0 + block.Attn.Forward(h0));
            ffn = block.Mlp.Forward(h);
            output = block.Norm2.Forward(h + ffn);
        }
        Assert.Equal(ffn.ToArray<float>(), all.Ffn[1].ToArray<float>(), new FloatTolerance(1e-6f));
        Assert.Equal(output.ToArray<float>(), all.Layers[1].ToArray<float>(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Drop_path_drops_whole_samples_rescales_the_rest_and_is_identity_in_eval()
    {
        T.ManualSeed(34);
        using var scope = new TensorScope();
        using var drop = new DropPath(0.25);
        var x = T.Ones([4000, 3], DType.Float64);
        var y = drop.Forward(x).ToArray<double>();
        var kept = 0;
        for (var row = 0; row < 4000; row++)
        {
            var values = y.AsSpan(row * 3, 3).ToArray();
            Assert.True(values.All(v => v == 0) || values.All(v => Math.Abs(v - 1 / 0.75) < 1e-12), $"row {row}: [{string.Join(", ", values)}]");
            if (values[0] != 0) kept++;
        }
        Assert.InRange(kept / 4000.0, 0.72, 0.78);
        drop.Eval();
        Assert.Equal(x.ToArray<double>(), drop.Forward(x).ToArray<double>());
        // Gradients flow only through kept samples, scaled like the values.
        drop.Train();
        var z = T.Ones([50, 2], DType.Float64);
        z.RequiresGrad = true;
        var dropped = drop.Forward(z);
        dropped.Sum().Backward();
        Assert.Equal(dropped.ToArray<double>(), z.Grad!.ToArray<double>());
    }

    [Fact]
    public void Layer_decay_scales_learning_rates_by_depth_and_AdamW_applies_them()
    {
        var decay = new LayerDecay(0.5, layers: 2);
        Assert.Equal(0, decay.LayerOf("patches.proj.weight"));
        Assert.Equal(1, decay.LayerOf("encoder.blocks.0.attn.qkv.weight"));
        Assert.Equal(2, decay.LayerOf("encoder.blocks.1.mlp.fc2.bias"));
        Assert.Equal(3, decay.LayerOf("head.weight"));
        Assert.Equal(0.125, decay.Scale("cls_token"));
        Assert.Equal(0.25, decay.Scale("blocks.0.norm1.weight"));
        Assert.Equal(1.0, decay.Scale("norm.weight"));
        Assert.Throws<ArgumentException>(() => decay.LayerOf("blocks.2.norm1.weight"));

        using var scope = new TensorScope();
        var early = new Parameter(T.FromArray(new double[] { 0, 0 }));
        var late = new Parameter(T.FromArray(new double[] { 0, 0 }));
        using var optimizer = new AdamW([new("blocks.0.w", early), new("head.w", late)], learningRate: 0.1,
            new OptimizerSettings(Betas: [0.9, 0.999], WeightDecay: 0), decay.Scale);
        early.Grad = T.FromArray(new double[] { 1, -1 });
        late.Grad = T.FromArray(new double[] { 1, -1 });
        optimizer.Step();
        // Adam's first step moves by lr·sign(g) (up to eps): 0.1 · 0.25 for block 0, 0.1 for the head.
        Assert.Equal(new[] { -0.025, 0.025 }, early.ToArray<double>(), new ToleranceComparer(1e-8));
        Assert.Equal(new[] { -0.1, 0.1 }, late.ToArray<double>(), new ToleranceComparer(1e-8));
        early.Dispose();
        late.Dispose();
    }

    [Fact]
    public void Ema_teacher_follows_the_student_with_an_annealed_decay()
    {
        T.ManualSeed(35);
        using var student = new Linear(3, 2);
        using var teacher = new Linear(3, 2);
        var ema = new Ema([student], [teacher]);
        var decay = new LinearSchedule(0.5, 0.9, Duration.Steps(4));
        using var scope = new TensorScope();
        Assert.Equal(student.Weight.ToArray<float>(), teacher.Weight.ToArray<float>());
        Assert.False(teacher.Weight.RequiresGrad);
        var decays = new List<double>();
        for (var step = 0; step < 6; step++)
        {
            var before = teacher.Weight.ToArray<float>();
            using (T.NoGrad())
                student.Weight.CopyFrom(student.Weight + 1.0);
            var target = student.Weight.ToArray<float>();
            var d = decay.At(step, totalSteps: 6);
            ema.Step(d);
            decays.Add(d);
            var after = teacher.Weight.ToArray<float>();
            for (var i = 0; i < after.Length; i++)
                Assert.Equal(d * before[i] + (1 - d) * target[i], after[i], 5);
        }
        Assert.Equal(new[] { 0.5, 0.6, 0.7, 0.8, 0.9, 0.9 }, decays, new ToleranceComparer(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => ema.Step(1.5));
    }
}
