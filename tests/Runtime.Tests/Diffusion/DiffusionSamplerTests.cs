using AvDsl.Runtime.Diffusion;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Diffusion;

/// <summary>
/// DDIM (η = 0) on cases whose answer is known in closed form: a predictor that knows x0, and Gaussian data
/// x0 ~ N(μ, σ²) with its exact posterior mean as the predictor.
/// </summary>
public sealed class DiffusionSamplerTests
{
    [Fact]
    public void Timesteps_run_evenly_from_T_minus_1_down_to_0()
    {
        Assert.Equal([999, 749, 500, 250, 0], DiffusionSampler.Timesteps(1000, 5));
        Assert.Equal([999], DiffusionSampler.Timesteps(1000, 1));
        Assert.Equal([999, 0], DiffusionSampler.Timesteps(1000, 2));
        Assert.Equal(Enumerable.Range(0, 10).Reverse().ToArray(), DiffusionSampler.Timesteps(10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionSampler.Timesteps(10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionSampler.Timesteps(10, 0));
    }

    [Fact]
    public void A_predictor_that_knows_x0_gets_x0_at_every_step_on_one_deterministic_path()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 1000, schedule: NoiseScheduleKind.Cosine);
        T.ManualSeed(3);
        var x0 = T.Randn(2, 6, 4);
        var seen = new List<(long[] T, float[] X)>();
        var steps = DiffusionSampler.Sample(noise, [2, 6, 4], steps: 8, () =>
        {
            seen.Add((noise.Fixed!.Timestep.ToArray<long>(), noise.Fixed.Noised.ToArray<float>()));
            return x0.Alias();
        });

        Assert.Null(noise.Fixed);
        Assert.Equal(DiffusionSampler.Timesteps(1000, 8), steps.Select(s => s.Timestep).ToArray());
        // With x̂0 exact, ε̂ never changes: x_t = sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·ε̂, ε̂ fixed by the starting noise.
        var truth = x0.ToArray<float>();
        var start = steps[0].Noised.ToArray<float>();
        var last = noise.Schedule.AlphaBar[999];
        var epsilon = start.Select((x, i) => (x - Math.Sqrt(last) * truth[i]) / Math.Sqrt(1 - last)).ToArray();
        for (var s = 0; s < steps.Count; s++)
        {
            var alphaBar = noise.Schedule.AlphaBar[steps[s].Timestep];
            Assert.Equal(truth, steps[s].PredictedX0.ToArray<float>());
            Assert.Equal(Enumerable.Repeat((long)steps[s].Timestep, 2), seen[s].T);
            Assert.Equal(steps[s].Noised.ToArray<float>(), seen[s].X);
            var noised = steps[s].Noised.ToArray<float>();
            for (var i = 0; i < truth.Length; i++)
                Assert.Equal(Math.Sqrt(alphaBar) * truth[i] + Math.Sqrt(1 - alphaBar) * epsilon[i], noised[i], 1e-5);
        }
    }

    // x0 ~ N(μ, σ²) elementwise, x_t = a·x0 + b·ε (a = sqrt ᾱ_t, b = sqrt(1 − ᾱ_t)): E[x0 | x_t] = μ + a·σ²/s²·(x_t − a·μ),
    // s² = a²σ² + b². Writing x_t − aμ = s·z, one DDIM step from t to t' maps z to z·(a·a'·σ² + b·b')/(s·s'), and the
    // prediction at t is μ + a·σ²·z/s: the closed form the sampler must reproduce.
    private const double Mu = 0.7, Sigma = 0.5;

    private static Tensor PosteriorMean(DiffusionNoise noise)
    {
        var t = (int)noise.Fixed!.Timestep.ToArray<long>()[0];
        var (a, b) = (noise.Schedule.SqrtAlphaBar(t), noise.Schedule.SqrtOneMinusAlphaBar(t));
        var gain = a * Sigma * Sigma / (a * a * Sigma * Sigma + b * b);
        return (noise.Fixed.Noised - a * Mu) * gain + Mu;
    }

    [Fact]
    public void On_Gaussian_data_with_the_exact_posterior_mean_each_step_follows_the_closed_form()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 1000, schedule: NoiseScheduleKind.Cosine);
        T.ManualSeed(8);
        var steps = DiffusionSampler.Sample(noise, [3, 5, 2], steps: 10, () => PosteriorMean(noise));

        double A(int t) => noise.Schedule.SqrtAlphaBar(t);
        double B(int t) => noise.Schedule.SqrtOneMinusAlphaBar(t);
        double S(int t) => Math.Sqrt(A(t) * A(t) * Sigma * Sigma + B(t) * B(t));
        var t0 = steps[0].Timestep;
        var z = steps[0].Noised.ToArray<float>().Select(x => (x - A(t0) * Mu) / S(t0)).ToArray();
        for (var s = 0; s < steps.Count; s++)
        {
            var t = steps[s].Timestep;
            if (s > 0)
            {
                var previous = steps[s - 1].Timestep;
                var factor = (A(previous) * A(t) * Sigma * Sigma + B(previous) * B(t)) / (S(previous) * S(t));
                z = z.Select(v => v * factor).ToArray();
            }
            var predicted = steps[s].PredictedX0.ToArray<float>();
            for (var i = 0; i < z.Length; i++)
                Assert.Equal(Mu + A(t) * Sigma * Sigma * z[i] / S(t), predicted[i], 1e-5);
        }
    }

    [Fact]
    public void On_Gaussian_data_a_thousand_steps_carry_the_noise_to_its_data_quantile()
    {
        // The probability-flow ODE DDIM discretises maps N(0, 1) onto N(μ, σ²) quantile by quantile: x0 = μ + σ·ε.
        // With S = T = 1000 the discretisation keeps 99.85% of z (the closed form above).
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 1000, schedule: NoiseScheduleKind.Cosine);
        T.ManualSeed(9);
        var steps = DiffusionSampler.Sample(noise, [1, 8, 2], steps: 1000, () => PosteriorMean(noise));

        var start = steps[0].Noised.ToArray<float>();
        var sample = steps[^1].PredictedX0.ToArray<float>();
        for (var i = 0; i < start.Length; i++)
            Assert.InRange(sample[i] - (Mu + Sigma * start[i]), -0.002 * Math.Abs(start[i]) - 1e-4, 0.002 * Math.Abs(start[i]) + 1e-4);
    }

    [Fact]
    public void A_prediction_of_the_wrong_shape_is_refused_and_the_fixed_noise_restored()
    {
        using var scope = new TensorScope();
        using var noise = new DiffusionNoise(timesteps: 10);
        var error = Assert.Throws<ArgumentException>(() => DiffusionSampler.Sample(noise, [2, 3, 4], 3, () => T.Zeros(2, 3, 5)));
        Assert.Contains("predicted x0 as", error.Message);
        Assert.Null(noise.Fixed);
        Assert.Throws<ArgumentException>(() => DiffusionSampler.Sample(noise, [2, 3], 3, () => T.Zeros(2, 3)));
    }
}
