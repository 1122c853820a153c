using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class OptimizerTests
{
    [Fact]
    public void AdamW_two_steps_match_a_hand_computed_update()
    {
        using var scope = new TensorScope();
        var weight = new Parameter(T.FromArray(new double[] { 1.0, -2.0 }, 1, 2));
        var bias = new Parameter(T.FromArray(new double[] { 0.5 }));
        var settings = new OptimizerSettings(Betas: [0.9, 0.999], Eps: 1e-8, WeightDecay: 0.1);
        using var adamw = new AdamW([new("layer.weight", weight), new("layer.bias", bias)], learningRate: 0.1, settings);
        Assert.Equal(0.1, adamw.State[0].WeightDecay);
        Assert.Equal(0.0, adamw.State[1].WeightDecay);

        double[] p = [1.0, -2.0], m = [0, 0], v = [0, 0];
        double[][] gradients = [[0.5, -1.0], [2.0, 0.25]];
        double[] lrs = [0.1, 0.05];
        for (var t = 1; t <= 2; t++)
        {
            var g = gradients[t - 1];
            adamw.LearningRate = lrs[t - 1];
            adamw.ZeroGrad();
            // loss = Σ w·g (+ 0·bias) so that dloss/dw = g and the bias has a zero gradient
            ((weight * T.FromArray(g, 1, 2)).Sum() + bias.Sum() * 0.0).Backward();
            adamw.Step();

            var lr = lrs[t - 1];
            for (var i = 0; i < 2; i++)
            {
                p[i] *= 1 - lr * 0.1;
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                var mHat = m[i] / (1 - Math.Pow(0.9, t));
                var vHat = v[i] / (1 - Math.Pow(0.999, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
        var actual = weight.ToArray<double>();
        Assert.Equal(p[0], actual[0], 12);
        Assert.Equal(p[1], actual[1], 12);
        Assert.Equal(0.5, bias.Item<double>(), 15); // zero gradient and no decay: untouched
        Assert.Equal(2, adamw.StepCount);
        var expAvg = adamw.State[0].ExpAvg.ToArray<double>();
        Assert.Equal(m[0], expAvg[0], 14);
        Assert.Equal(m[1], expAvg[1], 14);
        weight.Dispose();
        bias.Dispose();
    }

    [Fact]
    public void AdamW_after_reset_takes_the_step_a_new_optimizer_takes()
    {
        using var scope = new TensorScope();
        var settings = new OptimizerSettings(Betas: [0.9, 0.999], Eps: 1e-8, WeightDecay: 0.1);
        var used = new Parameter(T.FromArray(new double[] { 1.0, -2.0 }, 1, 2));
        var fresh = new Parameter(T.FromArray(new double[] { 1.0, -2.0 }, 1, 2));
        using var reset = new AdamW([new("w", used)], learningRate: 0.1, settings);
        using var made = new AdamW([new("w", fresh)], learningRate: 0.1, settings);
        reset.ZeroGrad();
        (used * T.FromArray(new double[] { 3.0, 1.0 }, 1, 2)).Sum().Backward();
        reset.Step();
        using (T.NoGrad()) used.CopyFrom(fresh); // same weights again; only the moments and step count remember the first step

        reset.Reset();
        foreach (var (optimizer, weight) in new[] { (reset, used), (made, fresh) })
        {
            optimizer.ZeroGrad();
            (weight * T.FromArray(new double[] { 0.5, -1.0 }, 1, 2)).Sum().Backward();
            optimizer.Step();
        }
        Assert.Equal(1, reset.StepCount);
        Assert.Equal(fresh.ToArray<double>(), used.ToArray<double>());
        Assert.Equal(made.State[0].ExpAvgSq.ToArray<double>(), reset.State[0].ExpAvgSq.ToArray<double>());
        used.Dispose();
        fresh.Dispose();
    }

    [Fact]
    public void AdamW_one_pass_update_of_contiguous_fp32_parameters_equals_the_op_sequence_bit_for_bit()
    {
        // The same values stored column-major are not contiguous, so the shim updates them with the op sequence.
        using var scope = new TensorScope();
        T.ManualSeed(3);
        var values = T.Randn(64, 48);
        var fused = new Parameter(values.Clone());
        var strided = new Parameter(values.Transpose(0, 1).Contiguous().Transpose(0, 1));
        var settings = new OptimizerSettings(Betas: [0.9, 0.95], Eps: 1e-8, WeightDecay: 0.05);
        using var a = new AdamW([new("w", fused)], learningRate: 3e-2, settings);
        using var b = new AdamW([new("w", strided)], learningRate: 3e-2, settings);
        for (var step = 0; step < 3; step++)
        {
            var grad = T.Randn(64, 48) * (step + 1.0);
            fused.Grad = grad.Clone();
            strided.Grad = grad.Clone();
            a.Step();
            b.Step();
        }
        Assert.NotEqual(values.ToArray<float>(), fused.ToArray<float>());
        Assert.Equal(b.StateDict()["w.exp_avg"].ToArray<float>(), a.StateDict()["w.exp_avg"].ToArray<float>());
        Assert.Equal(b.StateDict()["w.exp_avg_sq"].ToArray<float>(), a.StateDict()["w.exp_avg_sq"].ToArray<float>());
        Assert.Equal(strided.ToArray<float>(), fused.ToArray<float>());
        fused.Dispose();
        strided.Dispose();
    }

    [Fact]
    public void AdamW_skips_parameters_without_gradients()
    {
        using var linear = new Linear(2, 2);
        var before = linear.Weight.ToArray<float>();
        using var adamw = new AdamW(linear, 0.1, new OptimizerSettings(Betas: [0.9, 0.999]));
        adamw.Step();
        Assert.Equal(before, linear.Weight.ToArray<float>());
    }

    [Fact]
    public void Clipping_scales_gradients_to_the_max_norm_and_returns_the_original_norm()
    {
        using var scope = new TensorScope();
        var a = new Parameter(T.Zeros(2));
        var b = new Parameter(T.Zeros(1));
        ((a * T.FromArray(new float[] { 3, 0 })).Sum() + (b * 4).Sum()).Backward();
        var norm = GradientClipping.ClipByGlobalNorm([a, b], maxNorm: 1.0);
        Assert.Equal(5.0, norm, 5);
        Assert.Equal(0.6, a.Grad!.ToArray<float>()[0], 5);
        Assert.Equal(0.8, b.Grad!.Item<float>(), 5);

        // Below the limit nothing changes.
        Assert.Equal(1.0, GradientClipping.ClipByGlobalNorm([a, b], maxNorm: 10.0), 5);
        Assert.Equal(0.6, a.Grad!.ToArray<float>()[0], 5);
        a.Dispose();
        b.Dispose();
    }
}
