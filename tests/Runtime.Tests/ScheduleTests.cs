using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.Runtime.Tests;

public sealed class ScheduleTests
{
    [Fact]
    public void Constant() => Assert.Equal(0.3, new ConstantSchedule(0.3).At(57, 100));

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 0.75)]
    [InlineData(100, 0.0)]
    public void Linear_runs_from_start_to_end_over_the_run(long step, double expected) =>
        Assert.Equal(expected, new LinearSchedule(1.0, 0.0).At(step, 100), 12);

    [Fact]
    public void Cosine_follows_half_a_cosine()
    {
        var schedule = new CosineSchedule(2.0, 0.5);
        Assert.Equal(2.0, schedule.At(0, 40), 12);
        Assert.Equal(0.5 + 1.5 * 0.5 * (1 + Math.Cos(Math.PI * 10 / 40)), schedule.At(10, 40), 12);
        Assert.Equal(1.25, schedule.At(20, 40), 12);
        Assert.Equal(0.5, schedule.At(40, 40), 12);
    }

    [Fact]
    public void Warmup_cosine_warms_linearly_from_zero_then_decays_to_the_floor()
    {
        var schedule = new WarmupCosineSchedule(peak: 2e-3, warmup: 5, floor: 1e-5);
        Assert.Equal(0.0, schedule.At(0, 50));
        Assert.Equal(2e-3 * 3 / 5, schedule.At(3, 50), 15);
        Assert.Equal(2e-3, schedule.At(5, 50), 15);
        // step 20: progress (20 - 5) / 45
        Assert.Equal(1e-5 + (2e-3 - 1e-5) * 0.5 * (1 + Math.Cos(Math.PI * 15 / 45)), schedule.At(20, 50), 15);
        Assert.Equal(1e-5, schedule.At(50, 50), 15);
        Assert.True(schedule.At(49, 50) > 1e-5);
    }

    [Fact]
    public void Exponential_multiplies_by_the_same_factor_every_step_and_stays_after_over()
    {
        // from 1e-3 to 1e-5 over the first 40 of 100 steps: a factor (1e-2)^(1/40) per step.
        var schedule = new ExponentialSchedule(1e-3, 1e-5, Duration.Steps(40));
        Assert.Equal(1e-3, schedule.At(0, 100), 15);
        Assert.Equal(1e-4, schedule.At(20, 100), 15);
        Assert.Equal(1e-3 * Math.Pow(1e-2, 10 / 40.0), schedule.At(10, 100), 15);
        Assert.Equal(schedule.At(11, 100) / schedule.At(10, 100), schedule.At(31, 100) / schedule.At(30, 100), 12);
        Assert.Equal(1e-5, schedule.At(40, 100), 15);
        Assert.Equal(1e-5, schedule.At(99, 100), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialSchedule(0.0, 1.0));
    }
}
