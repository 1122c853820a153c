using System.Globalization;
using AvDsl.Runtime.Training;
using Spectre.Console;

namespace AvDsl.Cli;

/// <summary>Runs a training plan with a progress bar (or periodic lines when the output is not a terminal) and
/// prints the run directory at the start and at the end.</summary>
public static class TrainingConsole
{
    /// <param name="resume">A run directory to continue (<see cref="Trainer.Resume"/>) instead of starting a new run.</param>
    public static RunResult Train(TrainingPlan plan, RunOptions options, CancellationToken cancel, string? resume = null)
    {
        // A spec that counts epochs learns its length only when the data is open: each record carries it.
        var steps = options.Steps ?? plan.Steps;
        RunResult? result = null;
        RunResult Run(Action<StepRecord> onStep) => resume is null
            ? Trainer.Run(plan, options, OnRunDirectory, onStep, cancel)
            : Trainer.Resume(plan, resume, options, OnRunDirectory, onStep, cancel);
        void OnRunDirectory(string directory)
        {
            Console.WriteLine(resume is null ? $"run directory: {directory}" : $"resuming run directory: {directory}");
            if (options.Device is { Type: not AvDsl.Runtime.Torch.DeviceType.Cpu } device)
                Console.WriteLine($"device: {device}");
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"{plan.SpecName}", maxValue: Math.Max(1, steps));
                    result = Run(record =>
                    {
                        task.MaxValue = record.TotalSteps;
                        task.Description = $"{plan.SpecName} step {record.Step}/{record.TotalSteps} loss {Format(record.Loss)}";
                        task.Value = record.Step;
                    });
                });
        }
        else
        {
            result = Run(record =>
            {
                var every = Math.Max(1, record.TotalSteps / 10);
                if (record.Step == 1 || record.Step % every == 0 || record.Step == record.TotalSteps)
                {
                    Console.WriteLine($"step {record.Step,6}/{record.TotalSteps}  loss {Format(record.Loss)}  lr {record.LearningRate.ToString("G4", CultureInfo.InvariantCulture)}  {record.StepMs.ToString("F1", CultureInfo.InvariantCulture)} ms");
                }
            });
        }

        var run = result!;
        if (run.Steps.Count > 0)
        {
            var first = run.Steps[0];
            var last = run.Steps[^1];
            var change = (last.Loss - first.Loss) / first.Loss * 100.0;
            Console.WriteLine($"loss at step {first.Step}: {Format(first.Loss)}; at step {last.Step}: {Format(last.Loss)} ({change.ToString("+0.0;-0.0", CultureInfo.InvariantCulture)}%)");
        }
        Console.WriteLine($"checkpoint: {run.CheckpointPath}");
        Console.WriteLine($"run directory: {run.RunDirectory}");
        return run;
    }

    public static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
