using System.CommandLine;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl train &lt;spec.avml | SpecName&gt; [--steps N] [--device auto|cpu|cuda] [--checkpoint-every N|10m]</c>,
/// or <c>avdsl train [spec] --resume &lt;run-dir&gt;</c> to continue an interrupted run.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var spec = new Argument<string?>("spec")
        {
            Description = "A spec file from specs/ or the name of a compiled spec (optional with --resume: the run's own spec is used).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var name = new Option<string?>("--spec") { Description = "Which spec of a file that holds several." };
        var steps = new Option<long?>("--steps") { Description = "Train this many steps instead of the spec's `steps`." };
        var runs = new Option<string>("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
        var runDirectory = new Option<string?>("--run-dir") { Description = "Use exactly this run directory (it must not exist yet)." };
        var device = new Option<string?>("--device")
        {
            Description = "Where to train: auto (CUDA when present, else CPU), cpu, cuda or cuda:N. Default: the spec's `device` (cpu unless it says otherwise).",
        };
        var checkpointEvery = new Option<string?>("--checkpoint-every")
        {
            Description = "How often to write the checkpoint a run resumes from (only the newest is kept): a step count (200), a time (30s, 10m, 2h) or never. Default: every 5 minutes.",
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue the run in this run directory from its newest checkpoint, appending to its metrics.jsonl; the spec must be the one the run started with.",
        };
        var command = new Command("train", "Train a spec; writes metrics.jsonl, the resolved spec and checkpoints to a new run directory (or resumes one with --resume).")
        {
            spec, name, steps, runs, runDirectory, device, checkpointEvery, resume,
        };
        command.SetAction((result, cancel) =>
        {
            var resumed = result.GetValue(resume);
            var reference = result.GetValue(spec);
            if (reference is null && resumed is null)
            {
                Console.Error.WriteLine("avdsl train: name a spec to train, or a run to continue with --resume <run-dir>");
                return Task.FromResult(ExitCodes.Usage);
            }
            if (resumed is not null && result.GetValue(runDirectory) is not null)
            {
                Console.Error.WriteLine("avdsl train: --resume continues the run in its own directory; leave out --run-dir");
                return Task.FromResult(ExitCodes.Usage);
            }
            var interval = CheckpointInterval.Default;
            if (result.GetValue(checkpointEvery) is { } every)
            {
                try
                {
                    interval = CheckpointInterval.Parse(every);
                }
                catch (FormatException error)
                {
                    Console.Error.WriteLine($"avdsl train: --checkpoint-every: {error.Message}");
                    return Task.FromResult(ExitCodes.Usage);
                }
            }
            var compiled = reference is not null
                ? SpecLookup.Find(reference, result.GetValue(name), Console.Error)
                : ResumedSpec.Find(resumed!, Console.Error);
            if (compiled is null) return Task.FromResult(ExitCodes.Failed);
            var requested = result.GetValue(steps);
            if (requested is <= 0)
            {
                Console.Error.WriteLine("avdsl train: --steps must be at least 1");
                return Task.FromResult(ExitCodes.Usage);
            }
            Device? selected;
            try
            {
                selected = result.GetValue(device) is { } choice ? Device.Select(choice) : null;
            }
            catch (FormatException error)
            {
                Console.Error.WriteLine($"avdsl train: --device: {error.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }
            catch (DeviceUnavailableException error)
            {
                Console.Error.WriteLine($"avdsl train: {error.Message}");
                return Task.FromResult(ExitCodes.Failed);
            }
            var options = new RunOptions(RunRoot: result.GetValue(runs)!, Steps: requested, RunDirectory: result.GetValue(runDirectory), Device: selected)
            {
                CheckpointEvery = interval,
            };
            return Task.FromResult(Execute(compiled.Plan(), options, cancel, resumed));
        });
        return command;
    }

    /// <param name="resume">A run directory to continue instead of starting a new run.</param>
    /// <param name="finished">Receives the finished run (the demo evaluates it).</param>
    public static int Execute(TrainingPlan plan, RunOptions options, CancellationToken cancel, string? resume = null, Action<RunResult>? finished = null)
    {
        try
        {
            var run = TrainingConsole.Train(plan, options, cancel, resume);
            finished?.Invoke(run);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("avdsl train: stopped; the run directory keeps the metrics written so far");
            return ExitCodes.Failed;
        }
        catch (Exception error) when (error is AvDsl.Runtime.Data.BadInputLimitExceededException or AvDsl.Runtime.Data.ManifestException)
        {
            // The run directory keeps the metrics so far and bad-inputs.log.
            Console.Error.WriteLine($"avdsl train: {error.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception error) when (error is DeviceUnavailableException or RunNotResumableException)
        {
            Console.Error.WriteLine($"avdsl train: {error.Message}");
            return ExitCodes.Failed;
        }
        catch (IOException error)
        {
            Console.Error.WriteLine($"avdsl train: {error.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or AvDsl.Runtime.Torch.TorchException)
        {
            // A spec that binds can still be inconsistent at run time (say, averaging more layers than exist).
            Console.Error.WriteLine($"avdsl train: {SpecErrorLocation.Describe(error)}");
            Console.Error.WriteLine("avdsl train: fix the spec at that line; the run directory keeps what was written so far");
            return ExitCodes.Failed;
        }
    }
}
