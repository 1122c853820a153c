using System.CommandLine;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl train &lt;spec.avml | SpecName&gt; [--steps N] [--device auto|cpu|cuda]</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "A spec file from specs/ or the name of a compiled spec." };
        var name = new Option<string?>("--spec") { Description = "Which spec of a file that holds several." };
        var steps = new Option<long?>("--steps") { Description = "Train this many steps instead of the spec's `steps`." };
        var runs = new Option<string>("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
        var runDirectory = new Option<string?>("--run-dir") { Description = "Use exactly this run directory (it must not exist yet)." };
        var device = new Option<string?>("--device")
        {
            Description = "Where to train: auto (CUDA when present, else CPU), cpu, cuda or cuda:N. Default: the spec's `device` (cpu unless it says otherwise).",
        };
        var command = new Command("train", "Train a spec; writes metrics.jsonl, the resolved spec and a checkpoint to a new run directory.")
        {
            spec, name, steps, runs, runDirectory, device,
        };
        command.SetAction((result, cancel) =>
        {
            var compiled = SpecLookup.Find(result.GetValue(spec)!, result.GetValue(name), Console.Error);
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
            var options = new RunOptions(RunRoot: result.GetValue(runs)!, Steps: requested, RunDirectory: result.GetValue(runDirectory), Device: selected);
            return Task.FromResult(Execute(compiled.Plan(), options, cancel));
        });
        return command;
    }

    public static int Execute(TrainingPlan plan, RunOptions options, CancellationToken cancel)
    {
        try
        {
            TrainingConsole.Train(plan, options, cancel);
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
        catch (DeviceUnavailableException error)
        {
            Console.Error.WriteLine($"avdsl train: {error.Message}");
            return ExitCodes.Failed;
        }
        catch (IOException error)
        {
            Console.Error.WriteLine($"avdsl train: {error.Message}");
            return ExitCodes.Failed;
        }
    }
}
