using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Distributed;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl train &lt;spec.avml | SpecName&gt; [--steps N] [--device auto|cpu|cuda] [--checkpoint-every N|10m]</c>,
/// or <c>avdsl train [spec] --resume &lt;run-dir&gt;</c> to continue an interrupted run.</summary>
public sealed class TrainCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly SpecResolver specs;

    private readonly Argument<string?> spec = new("spec")
    {
        Description = "A spec file (anywhere; one not compiled into avdsl is compiled on first use) or the name of a compiled spec (optional with --resume: the run's own spec is used).",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<string?> name = new("--spec") { Description = "Which spec of a file that holds several." };
    private readonly Option<long?> steps = new("--steps") { Description = "Train this many steps instead of the spec's `steps`." };
    private readonly Option<string> runs = new("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
    private readonly Option<string?> runDirectory = new("--run-dir") { Description = "Use exactly this run directory (it must not exist yet)." };
    private readonly Option<string?> device = new("--device")
    {
        Description = "Where to train: auto (CUDA when present, else CPU), cpu, cuda or cuda:N. Default: the spec's `device` (cpu unless it says otherwise).",
    };
    private readonly Option<string?> checkpointEvery = new("--checkpoint-every")
    {
        Description = "How often to write the checkpoint a run resumes from (only the newest is kept): a step count (200), a time (30s, 10m, 2h) or never. Default: every 5 minutes.",
    };
    private readonly Option<string?> resume = new("--resume")
    {
        Description = "Continue the run in this run directory from its newest checkpoint, appending to its metrics.jsonl; the spec must be the one the run started with.",
    };

    private readonly Option<bool> countFlops = new("--count-flops")
    {
        Description = "Count each step's matrix-product FLOPs as it runs and log them as `flops` in metrics.jsonl (the cost model's measured side).",
    };

    private readonly Option<int?> processes = new("--nproc")
    {
        Description = "Train data-parallel in this many processes on this machine (Gloo on loopback; each trains on its share of every batch). " +
                      "Under torchrun or srun leave it out: RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (or Slurm's) say where this process sits.",
    };

    private readonly Option<string?> distributedTimeout = new("--dist-timeout")
    {
        Description = "How long a data-parallel rank waits for the others — to meet at the start, at a collective, at a checkpoint's barrier — " +
                      "before it stops with an error: a time (90s, 10m). Default: 10m (checkpoints of paper-size models take minutes to write).",
    };

    private readonly Option<string[]> set = SetOption();

    /// <summary>The repeatable <c>--set path=value</c> of train, eval, cost and sweep.</summary>
    public static Option<string[]> SetOption() => new("--set")
    {
        Description = "Override a spec setting for this run, as the same line in the spec would: --set encoder.depth=4, --set train.lr.peak=1e-3, " +
                      "--set train.batch=8 (repeatable). Recorded in the run's run.json.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>How long ranks wait for each other by default (<c>--dist-timeout</c>).</summary>
    public static readonly TimeSpan DefaultDistributedTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How long the other ranks get to stop on their own once one has failed, before the launcher kills them.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public TrainCommand(CommandOutput output, SpecResolver specs)
    {
        this.output = output;
        this.specs = specs;
        Syntax = new Command("train", "Train a spec; writes metrics.jsonl, the resolved spec and checkpoints to a new run directory (or resumes one with --resume).")
        {
            spec, name, steps, runs, runDirectory, device, checkpointEvery, resume, countFlops, processes, distributedTimeout, set,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(new TrainOptions(
        parsed.GetValue(spec), parsed.GetValue(name), parsed.GetValue(steps), parsed.GetValue(runs)!, parsed.GetValue(runDirectory),
        parsed.GetValue(device), parsed.GetValue(checkpointEvery), parsed.GetValue(resume), parsed.GetValue(countFlops), parsed.GetValue(processes),
        parsed.GetValue(distributedTimeout), parsed.GetValue(set)), cancel,
        parsed.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value).ToArray());

    /// <param name="arguments">The command line after the program, for the processes <c>--nproc</c> starts.</param>
    public TrainResult Run(TrainOptions options, CancellationToken cancel, IReadOnlyList<string>? arguments = null)
    {
        var timeout = DefaultDistributedTimeout;
        if (options.DistributedTimeout is { } text)
        {
            if (TimeText.Parse(text) is not { } given)
                return Fail($"--dist-timeout: '{text}' is not a time; write 90s, 10m or 1h", ResultKind.UsageError);
            timeout = given;
        }
        if (options.Processes is { } count)
        {
            if (count < 1)
                return Fail("--nproc must be at least 1", ResultKind.UsageError);
            if (DistributedEnvironment.FromProcess() is not null)
                return Fail("--nproc starts processes of its own; under torchrun or srun (RANK or SLURM_PROCID set) leave it out", ResultKind.UsageError);
            if (count > 1)
            {
                var childArguments = WithoutProcesses(arguments ?? throw new ArgumentNullException(nameof(arguments)));
                var code = LocalLauncher.Launch(count, ["train", .. childArguments], output.Error, StopGrace);
                return new TrainResult(code == 0 ? ResultKind.Ok : ResultKind.Failed);
            }
        }
        if (options.Spec is null && options.Resume is null)
            return Fail("name a spec to train, or a run to continue with --resume <run-dir>", ResultKind.UsageError);
        if (options.Resume is not null && options.RunDirectory is not null)
            return Fail("--resume continues the run in its own directory; leave out --run-dir", ResultKind.UsageError);
        var interval = CheckpointInterval.Default;
        if (options.CheckpointEvery is { } every)
        {
            try
            {
                interval = CheckpointInterval.Parse(every);
            }
            catch (FormatException error)
            {
                return Fail($"--checkpoint-every: {error.Message}", ResultKind.UsageError);
            }
        }
        var overrides = SettingOverride.ParseAll(options.Set, "avdsl train", output.Error);
        if (overrides is null) return new TrainResult(ResultKind.UsageError);
        if (overrides.Count > 0 && options.Resume is not null)
            return Fail("--resume continues a run with the spec it started with (its overrides are in its spec.avml); leave out --set, or start a new run", ResultKind.UsageError);
        var compiled = options.Spec is not null ? specs.Resolve(options.Spec, options.SpecName) : ResumedSpec(new TrainedRun(options.Resume!));
        if (compiled is not null) compiled = specs.WithOverrides(compiled, overrides, "avdsl train");
        if (compiled is null) return new TrainResult(ResultKind.Failed);
        if (options.Steps is <= 0)
            return Fail("--steps must be at least 1", ResultKind.UsageError);
        Device? selected;
        try
        {
            selected = options.Device is { } choice ? Device.Select(choice) : null;
        }
        catch (FormatException error)
        {
            return Fail($"--device: {error.Message}", ResultKind.UsageError);
        }
        catch (DeviceUnavailableException error)
        {
            return Fail(error.Message);
        }
        DistributedEnvironment? environment;
        try
        {
            environment = DistributedEnvironment.FromProcess();
        }
        catch (DistributedEnvironmentException error)
        {
            return Fail(error.Message, ResultKind.UsageError);
        }
        DistributedRun? distributed = null;
        if (environment is { WorldSize: > 1 })
        {
            try
            {
                distributed = DistributedRun.Join(environment, timeout);
            }
            catch (TorchException error)
            {
                return Fail($"rank {environment.Rank} of {environment.WorldSize} could not meet the others at {environment.MasterAddr}:{environment.MasterPort}: " +
                            MeetingAdvice(environment, error.Message, timeout));
            }
        }
        using (distributed)
        {
            var plan = compiled.Plan();
            if (distributed is not null && plan.BatchSize % distributed.WorldSize != 0)
                return Fail($"the batch of {plan.BatchSize} does not split into {distributed.WorldSize} equal shares, one per process; " +
                            $"give `batch` a multiple of {distributed.WorldSize}, or start a number of processes that divides {plan.BatchSize}", ResultKind.UsageError);
            var runOptions = new RunOptions(RunRoot: options.Runs, Steps: options.Steps, RunDirectory: options.RunDirectory, Device: selected)
            {
                CheckpointEvery = interval,
                CountFlops = options.CountFlops,
                Distributed = distributed,
                Overrides = overrides.Select(o => o.Text).ToList(),
                Hyperparameters = Hyperparameters(options, compiled.Name, overrides),
                Project = options.Spec is { } file && File.Exists(file) ? file : Directory.GetCurrentDirectory(),
            };
            // Progress from rank 0 only; every rank reports its own errors.
            var trainer = distributed is { IsMain: false } ? new TrainCommand(output with { Out = TextWriter.Null }, specs) : this;
            return trainer.Train(plan, runOptions, cancel, options.Resume);
        }
    }

    /// <summary>What TensorBoard's HParams table compares: the sweep point's settings when the spec is a variant, then the
    /// --set overrides; numbers and booleans as such, anything else as its text.</summary>
    private static Dictionary<string, object> Hyperparameters(TrainOptions options, string specName, IReadOnlyList<SettingOverride> overrides)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (options.Spec is { } file && File.Exists(file)
            && SpecFiles.Compile(file).Specs.FirstOrDefault(s => s.Name == specName)?.Variant is { } variant)
        {
            foreach (var setting in variant.Point) values[setting.Path] = Typed(setting.Value);
        }
        foreach (var o in overrides) values[o.Path] = Typed(o.Value);
        return values;
    }

    private static object Typed(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number
        : text is "true" or "false" ? text == "true"
        : text.Trim('"');

    /// <summary>What went wrong at the rendezvous, said so that the user knows what to change.</summary>
    private static string MeetingAdvice(DistributedEnvironment environment, string message, TimeSpan timeout)
    {
        var seconds = timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        if (message.Contains("Address already in use", StringComparison.Ordinal))
            return $"port {environment.MasterPort} is taken by another program on this machine; set MASTER_PORT to a free port (with --nproc, start again: it picks a free one).";
        if (message.Contains("timed out", StringComparison.OrdinalIgnoreCase) || message.Contains("timeout", StringComparison.OrdinalIgnoreCase))
            return environment.ServesStore
                ? $"not every rank arrived within {seconds} s; check that all {environment.WorldSize} were started with MASTER_ADDR and MASTER_PORT pointing here, or raise --dist-timeout."
                : $"no rank 0 answered within {seconds} s; check that rank 0 is running and that MASTER_ADDR and MASTER_PORT name its machine and a port it can reach, or raise --dist-timeout.";
        return message;
    }

    /// <summary>The command line without <c>--nproc N</c>.</summary>
    private static List<string> WithoutProcesses(IReadOnlyList<string> arguments)
    {
        var kept = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--nproc") { i++; continue; }
            if (arguments[i].StartsWith("--nproc=", StringComparison.Ordinal)) continue;
            kept.Add(arguments[i]);
        }
        return kept;
    }

    /// <summary>Trains a plan with progress on the output; the failures a user can act on become one line.</summary>
    /// <param name="resume">A run directory to continue instead of starting a new run.</param>
    public TrainResult Train(TrainingPlan plan, RunOptions options, CancellationToken cancel, string? resume = null)
    {
        try
        {
            return new TrainResult(ResultKind.Ok, new TrainingConsole(output).Train(plan, options, cancel, resume));
        }
        catch (OperationCanceledException)
        {
            return Fail("stopped; the run directory keeps the metrics written so far");
        }
        catch (Exception error) when (error is BadInputLimitExceededException or ManifestException)
        {
            // The run directory keeps the metrics so far and bad-inputs.log.
            return Fail(error.Message);
        }
        catch (Exception error) when (error is DeviceUnavailableException or RunNotResumableException or ReplayBufferFileException or NonFiniteLossException or IOException)
        {
            return Fail(error.Message);
        }
        catch (TeacherRunException error)
        {
            // Raised before the run directory is made; located at the spec's teacher line.
            return Fail(SpecErrorLocation.Describe(error));
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or TorchException)
        {
            // A spec that binds can still be inconsistent at run time (say, averaging more layers than exist).
            output.Error.WriteLine($"avdsl train: {SpecErrorLocation.Describe(error)}");
            return Fail("fix the spec at that line; the run directory keeps what was written so far");
        }
    }

    private CompiledSpec? ResumedSpec(TrainedRun run)
    {
        if (!run.HasSpec)
        {
            output.Error.WriteLine($"avdsl train: '{Path.GetFullPath(run.Path)}' holds no {Trainer.SpecFileName}, so it is not a run directory that can be resumed");
            return null;
        }
        return specs.OfRun(run, "avdsl train");
    }

    private TrainResult Fail(string message, ResultKind kind = ResultKind.Failed)
    {
        output.Error.WriteLine($"avdsl train: {message}");
        return new TrainResult(kind);
    }
}
