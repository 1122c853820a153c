using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Spectre.Console;

namespace AvDsl.Cli;

/// <summary>Runs a training plan with a progress bar (or periodic lines when the output is not a terminal) and
/// prints the run directory at the start and at the end.</summary>
public sealed class TrainingConsole(CommandOutput output)
{
    /// <param name="resume">A run directory to continue (<see cref="Trainer.Resume"/>) instead of starting a new run.</param>
    public RunResult Train(TrainingPlan plan, RunOptions options, CancellationToken cancel, string? resume = null)
    {
        var summary = PlanSummary.Of(plan);
        // A spec that counts epochs learns its length only when the data is open: each record carries it.
        var steps = options.Steps ?? summary.Steps;
        RunResult? result = null;
        RunResult Run(Action<StepRecord> onStep) => resume is null
            ? Trainer.Run(plan, options, OnRunDirectory, onStep, cancel)
            : Trainer.Resume(plan, resume, options, OnRunDirectory, onStep, cancel);
        void OnRunDirectory(string directory)
        {
            output.Out.WriteLine(resume is null ? $"run directory: {directory}" : $"resuming run directory: {directory}");
            if (options.Device is { Type: not DeviceType.Cpu } device)
                output.Out.WriteLine($"device: {device}");
        }

        var progress = new ProgressLine();
        if (output.Interactive)
        {
            output.Ansi.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(context =>
                {
                    var task = context.AddTask($"{summary.SpecName}", maxValue: Math.Max(1, steps));
                    result = Run(record =>
                    {
                        task.MaxValue = record.TotalSteps;
                        task.Description = Markup.Escape($"{summary.SpecName} {progress.Next(record)}");
                        task.Value = record.Step;
                    });
                });
        }
        else
        {
            // Off a terminal (a log file, a Slurm job): plain lines, about ten a run.
            result = Run(record =>
            {
                var line = progress.Next(record);
                var every = Math.Max(1, record.TotalSteps / 10);
                if (record.Step == 1 || record.Step % every == 0 || record.Step == record.TotalSteps)
                    output.Out.WriteLine(line);
            });
        }

        var run = result!;
        if (run.Steps.Count > 0)
        {
            var first = run.Steps[0];
            var last = run.Steps[^1];
            var change = (last.Loss - first.Loss) / first.Loss * 100.0;
            output.Out.WriteLine($"loss at step {first.Step}: {Format(first.Loss)}; at step {last.Step}: {Format(last.Loss)} ({change.ToString("+0.0;-0.0", CultureInfo.InvariantCulture)}%)");
            var stepMs = run.Steps.Sum(s => s.StepMs);
            var dataMs = run.Steps.Sum(s => s.DataMs);
            output.Out.WriteLine(FormattableString.Invariant(
                $"time: {stepMs / 1000:0.0} s in {run.Steps.Count} steps, of which waiting on data {dataMs / 1000:0.0} s ({(stepMs > 0 ? dataMs / stepMs : 0):P1}; the loader decodes ahead, so a cold first epoch shows here)"));
        }
        if (run.SkippedSteps is { Count: > 0 } skipped)
            output.Out.WriteLine($"{skipped.Count} {(skipped.Count == 1 ? "step" : "steps")} skipped for a non-finite loss or gradient: {string.Join(", ", skipped)}");
        output.Out.WriteLine($"checkpoint: {run.CheckpointPath}");
        output.Out.WriteLine($"run directory: {run.RunDirectory}");
        return run;
    }

    private static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
