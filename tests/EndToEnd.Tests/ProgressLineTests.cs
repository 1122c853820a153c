using AvDsl.Cli;
using AvDsl.Runtime.Training;
using Xunit;

namespace AvDsl.EndToEnd.Tests;

public class ProgressLineTests
{
    private static StepRecord Step(long step, double ms, int batch = 8, Dictionary<string, double>? terms = null) =>
        new(step, 1.5, 1e-3, ms, terms ?? new Dictionary<string, double> { ["mse"] = 1.5 }, 100, 0) { Batch = batch };

    [Fact]
    public void Throughput_and_time_left_come_from_the_last_twenty_steps_so_a_slow_start_leaves_them()
    {
        var progress = new ProgressLine();
        string line = "";
        for (var step = 1; step <= 25; step++)
            line = progress.Next(Step(step, step <= 5 ? 1000 : 100));
        // Steps 6..25: 8 clips per 100 ms, and 75 steps left at 100 ms.
        Assert.Equal("step 25/100  loss 1.5000  lr 1.00e-3  80 clips/s  ETA 8s", line);
    }

    [Fact]
    public void Several_loss_terms_are_shown_by_name_and_long_waits_in_minutes_or_hours()
    {
        var line = new ProgressLine().Next(Step(1, 2000, terms: new() { ["frame"] = 1.25, ["utterance"] = 0.25 }));
        Assert.Equal("step 1/100  loss 1.5000 (frame 1.2500, utterance 0.2500)  lr 1.00e-3  4 clips/s  ETA 3m18s", line);
        Assert.Equal("2h05m", ProgressLine.Duration(TimeSpan.FromMinutes(125.5)));
        Assert.Equal("59s", ProgressLine.Duration(TimeSpan.FromSeconds(59.4)));
    }
}
