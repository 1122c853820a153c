using AvDsl.Runtime.Diffusion;
using Xunit;

namespace AvDsl.Runtime.Tests.Diffusion;

/// <summary>ᾱ_t of both schedules against their closed forms, computed here independently; monotone; both ends.</summary>
public sealed class NoiseScheduleTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(50)]
    public void Cosine_alpha_bar_is_f_of_t_plus_1_over_f_of_0_until_beta_is_clipped(int timesteps)
    {
        var schedule = new NoiseSchedule(NoiseScheduleKind.Cosine, timesteps);
        static double F(double t, int total) => Math.Pow(Math.Cos((t / total + 0.008) / 1.008 * Math.PI / 2), 2);
        var clipped = 0;
        for (var t = 0; t < timesteps; t++)
        {
            var beta = 1 - F(t + 1, timesteps) / F(t, timesteps);
            if (beta > 0.999)
            {
                clipped++;
                Assert.Equal(0.999, schedule.Betas[t], 15);
                continue;
            }
            Assert.True(clipped == 0, "β is clipped only at the end");
            var expected = F(t + 1, timesteps) / F(0, timesteps);
            Assert.True(Math.Abs(schedule.AlphaBar[t] - expected) <= 1e-12 * expected, $"ᾱ[{t}] = {schedule.AlphaBar[t]:R}, closed form {expected:R}");
        }
        // f(T) = cos²(π/2) = 0: only the last step is clipped, and it keeps 0.1% of ᾱ_{T−2}.
        Assert.Equal(1, clipped);
        Assert.Equal(schedule.AlphaBar[timesteps - 2] * 0.001, schedule.AlphaBar[timesteps - 1], 1e-18);
    }

    [Fact]
    public void Linear_alpha_bar_is_the_product_of_one_minus_linearly_spaced_betas()
    {
        var schedule = new NoiseSchedule(NoiseScheduleKind.Linear, 1000);
        // The product in log space, so that it shares no arithmetic with the running product.
        var logSum = 0.0;
        for (var t = 0; t < 1000; t++)
        {
            var beta = 1e-4 + t * (0.02 - 1e-4) / 999;
            Assert.Equal(beta, schedule.Betas[t], 15);
            logSum += Math.Log(1 - beta);
            Assert.True(Math.Abs(schedule.AlphaBar[t] - Math.Exp(logSum)) <= 1e-11 * Math.Exp(logSum), $"ᾱ[{t}]");
        }
        Assert.Equal(0.9999, schedule.AlphaBar[0], 15);
        Assert.Equal(0.9999 * (1 - (1e-4 + 19.9e-3 / 999)), schedule.AlphaBar[1], 15);
        // DDPM's end, numpy.cumprod(1 - numpy.linspace(1e-4, 0.02, 1000))[999]: sqrt ≈ 0.00635 of the signal is left.
        Assert.Equal(4.035829765375676e-05, schedule.AlphaBar[999], 1e-16);
    }

    [Theory]
    [InlineData(NoiseScheduleKind.Linear)]
    [InlineData(NoiseScheduleKind.Cosine)]
    public void Alpha_bar_falls_strictly_from_near_one_to_near_zero(NoiseScheduleKind kind)
    {
        var schedule = new NoiseSchedule(kind, 1000);
        for (var t = 1; t < 1000; t++)
            Assert.True(schedule.AlphaBar[t] < schedule.AlphaBar[t - 1], $"ᾱ[{t}] ≥ ᾱ[{t - 1}]");
        Assert.InRange(schedule.AlphaBar[0], 0.9999, 1.0);
        Assert.InRange(schedule.AlphaBar[999], 0.0, 1e-4);
        Assert.Equal(Math.Sqrt(schedule.AlphaBar[500]), schedule.SqrtAlphaBar(500), 15);
        Assert.Equal(Math.Sqrt(1 - schedule.AlphaBar[3]), schedule.SqrtOneMinusAlphaBar(3), 15);
    }

    [Fact]
    public void Fewer_than_two_timesteps_are_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseSchedule(NoiseScheduleKind.Cosine, 1));
        Assert.Contains("at least 2", error.Message);
    }
}
