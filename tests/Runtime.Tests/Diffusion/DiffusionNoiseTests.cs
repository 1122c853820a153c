using AvDsl.Runtime.Diffusion;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Diffusion;

/// <summary>The forward process's draws (t uniform, ε standard normal, x_t their mix) and the <see cref="DiffusionNoise.Fixed"/>
/// override a sampler uses.</summary>
public sealed class DiffusionNoiseTests
{
    [Fact]
    public void Timesteps_are_uniform_over_0_to_T_minus_1_and_the_noise_is_standard_normal()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 4, schedule: NoiseScheduleKind.Linear);
        T.ManualSeed(5);
        var clean = T.Randn(40000, 3, 2);
        var patches = noise.Forward(clean);

        var counts = new int[4];
        foreach (var t in patches.Timestep.ToArray<long>())
            counts[t]++;
        foreach (var count in counts)
            Assert.InRange(count, 9600, 10400);  // 10000 ± 4σ

        // ε = (x_t − sqrt(ᾱ_t)·x0) / sqrt(1 − ᾱ_t), with the coefficients computed here per sample.
        var steps = patches.Timestep.ToArray<long>();
        var (x0, xt) = (clean.ToArray<float>(), patches.Noised.ToArray<float>());
        double sum = 0, squares = 0;
        for (var i = 0; i < x0.Length; i++)
        {
            var alphaBar = noise.Schedule.AlphaBar[(int)steps[i / 6]];
            var epsilon = (xt[i] - Math.Sqrt(alphaBar) * x0[i]) / Math.Sqrt(1 - alphaBar);
            sum += epsilon;
            squares += epsilon * epsilon;
        }
        var mean = sum / x0.Length;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(squares / x0.Length - mean * mean, 0.98, 1.02);
    }

    [Fact]
    public void The_same_seed_draws_the_same_noise()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise();
        var clean = T.Randn(2, 5, 3);
        T.ManualSeed(11);
        var first = noise.Forward(clean);
        T.ManualSeed(11);
        var again = noise.Forward(clean);
        Assert.Equal(first.Timestep.ToArray<long>(), again.Timestep.ToArray<long>());
        Assert.Equal(first.Noised.ToArray<float>(), again.Noised.ToArray<float>());
        Assert.Equal(clean.ToArray<float>(), first.Clean.ToArray<float>());
    }

    [Fact]
    public void Fixed_noise_is_returned_instead_of_drawn_with_the_real_clean_patches()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 10);
        var clean = T.Randn(2, 4, 3);
        var xt = T.Randn(2, 4, 3);
        var t = T.FromArray(new long[] { 9, 0 });
        noise.Fixed = new FixedNoise(t, xt);
        var state = T.GetRngState().ToArray<byte>();

        var patches = noise.Forward(clean);
        Assert.Equal(xt.ToArray<float>(), patches.Noised.ToArray<float>());
        Assert.Equal(new long[] { 9, 0 }, patches.Timestep.ToArray<long>());
        Assert.Equal(clean.ToArray<float>(), patches.Clean.ToArray<float>());
        Assert.Equal(state, T.GetRngState().ToArray<byte>());      // nothing drawn

        noise.Fixed = new FixedNoise(t, T.Randn(2, 5, 3));
        var error = Assert.Throws<ArgumentException>(() => noise.Forward(clean));
        Assert.Contains("do not fit clean patches", error.Message);
        noise.Fixed = new FixedNoise(T.FromArray(new long[] { 1, 2, 3 }), xt);
        Assert.Throws<ArgumentException>(() => noise.Forward(clean));

        noise.Fixed = null;
        Assert.NotEqual(xt.ToArray<float>(), noise.Forward(clean).Noised.ToArray<float>());
    }

    [Fact]
    public void Patches_that_are_not_B_N_P_are_refused()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise();
        var error = Assert.Throws<ArgumentException>(() => noise.Forward(T.Randn(2, 12)));
        Assert.Contains("expected clean patches [B, N, P]", error.Message);
    }
}
