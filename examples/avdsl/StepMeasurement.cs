using AvDsl.Runtime.Training;

namespace AvDsl.Cli;

/// <summary>
/// What a few real training steps of a plan cost on this machine: the median step time (the first step, which
/// allocates gradients and optimizer state, is left out) and how far the process's peak resident memory rose above
/// its level before the model was built. Linux only for memory (/proc/self); elsewhere it is null.
/// </summary>
public sealed record StepMeasurement(int Steps, double MedianStepMs, long? PeakGrowthBytes)
{
    /// <summary>Trains <paramref name="steps"/> steps (at least 2) in a temporary run directory, removed afterwards.</summary>
    public static StepMeasurement Of(TrainingPlan plan, int steps)
    {
        if (steps < 2)
            throw new ArgumentOutOfRangeException(nameof(steps), $"measuring needs at least 2 steps (the first is a warm-up), got {steps}.");
        var root = Directory.CreateTempSubdirectory("avdsl-cost-").FullName;
        try
        {
            GC.Collect();
            ProcessMemory.ResetPeak();
            var before = ProcessMemory.Resident;
            // A step takes as long with any weights: cost never needs a pretrained teacher's run.
            var result = Trainer.Run(plan, new RunOptions(RunRoot: root, Steps: steps) { LoadPretrained = false });
            var peak = ProcessMemory.Peak;
            var times = result.Steps.Skip(1).Select(s => s.StepMs).Order().ToArray();
            var median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
            return new StepMeasurement(steps, median, before is { } b && peak is { } p ? p - b : null);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
