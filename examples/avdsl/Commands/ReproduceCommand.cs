using System.CommandLine;
using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl reproduce &lt;run-dir&gt;</c>: trains a run's spec.avml again as its run.json says (length, seed,
/// device, processes) into a new directory beside it, says what differs between then and now (versions, host, threads,
/// git commit, data manifests), and whether every logged loss came out the same.</summary>
public sealed class ReproduceCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly TrainCommand train;
    private readonly Argument<string> run = new("run-dir") { Description = "A run directory written by `avdsl train` (it holds spec.avml, run.json and metrics.jsonl)." };
    private readonly Option<string?> into = new("--run-dir") { Description = "Where the new run goes (it must not exist yet). Default: beside the run, named <run>-reproduce." };

    public ReproduceCommand(CommandOutput output, SpecResolver specs, TrainCommand train)
    {
        this.output = output;
        this.specs = specs;
        this.train = train;
        Syntax = new Command("reproduce", "Train a run again from its snapshot (run.json) and report whether its losses match, and what differs from the machine and code it ran on.")
        {
            run, into,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(run)!, parsed.GetValue(into), cancel);

    public CommandResult Run(string path, string? target, CancellationToken cancel)
    {
        var original = new TrainedRun(path);
        if (!original.Exists)
            return Fail($"no run directory '{path}'");
        if (!original.HasSpec)
            return Fail($"'{path}' holds no {Trainer.SpecFileName}, so it is not a run directory written by `avdsl train`");
        RunSnapshot? snapshot;
        try
        {
            snapshot = RunSnapshot.Read(path);
        }
        catch (InvalidDataException error)
        {
            return Fail(error.Message);
        }
        if (snapshot is null)
            return Fail($"'{path}' has no {RunSnapshot.FileName}: it was trained before AvDsl recorded what a run was made from; " +
                        $"train its spec again (`avdsl train {original.SpecPath}`) to get a run that can be reproduced");
        if (RunSnapshot.SpecHashOf(original.SpecText) != snapshot.SpecHash)
            return Fail($"'{original.SpecPath}' was changed after the run started (its hash is not run.json's spec_hash); restore it to reproduce the run");
        var metricsPath = Path.Combine(path, Trainer.MetricsFileName);
        IReadOnlyList<MetricsFile.Line> then;
        try
        {
            then = File.Exists(metricsPath) ? MetricsFile.Read(metricsPath) : [];
        }
        catch (InvalidDataException error)
        {
            return Fail(error.Message);
        }
        if (then.Count == 0)
            return Fail($"'{path}' logged no step, so there is no loss to compare with");
        var compiled = specs.OfRun(original, "avdsl reproduce");
        if (compiled is null) return CommandResult.Failed;

        var now = RunSnapshot.Capture(compiled.Plan(), new RunOptions(Steps: snapshot.Steps), snapshot.Git?.Repository);
        var differences = snapshot.DifferencesFrom(now);
        output.Out.WriteLine($"reproducing {path}: spec {snapshot.Spec}, seed {snapshot.Seed}, {then.Count} logged steps, " +
                             $"{snapshot.WorldSize} process{(snapshot.WorldSize == 1 ? "" : "es")} on {snapshot.Device}");
        output.Out.WriteLine(differences.Count == 0 ? "same versions, host, threads, commit and data as the run" : "differs from the run:");
        foreach (var line in differences) output.Out.WriteLine($"  {line}");

        target ??= RunDirectory.NextFree(Path.GetFullPath(path).TrimEnd('/') + "-reproduce");
        List<string> arguments = [original.SpecPath, "--run-dir", target, "--device", snapshot.Device];
        if (snapshot.Steps is { } steps) arguments.AddRange(["--steps", steps.ToString(CultureInfo.InvariantCulture)]);
        if (snapshot.WorldSize > 1) arguments.AddRange(["--nproc", snapshot.WorldSize.ToString(CultureInfo.InvariantCulture)]);
        var trained = train.Run(new TrainOptions(original.SpecPath, Steps: snapshot.Steps, RunDirectory: target, Device: snapshot.Device,
            Processes: snapshot.WorldSize > 1 ? snapshot.WorldSize : null), cancel, arguments);
        if (!trained.Succeeded)
            return Fail($"the re-run did not finish; what it wrote is in {target}");
        return Compare(then, MetricsFile.Read(Path.Combine(target, Trainer.MetricsFileName)), target);
    }

    /// <summary>Every logged step's loss and terms against the re-run's: equal bit for bit, or where they first differ.</summary>
    private CommandResult Compare(IReadOnlyList<MetricsFile.Line> then, IReadOnlyList<MetricsFile.Line> now, string target)
    {
        var byStep = now.ToDictionary(l => l.Step);
        var differing = 0;
        var missing = 0;
        var largest = 0.0;
        string? first = null;
        foreach (var line in then)
        {
            if (!byStep.TryGetValue(line.Step, out var again))
            {
                missing++;
                continue;
            }
            var keys = line.Values.Keys.Where(k => k == "loss" || !Timing.Contains(k)).Where(again.Values.ContainsKey);
            var unequal = keys.Where(k => !line.Values[k].Equals(again.Values[k])).ToList();
            if (unequal.Count == 0) continue;
            differing++;
            foreach (var key in unequal)
                largest = Math.Max(largest, Math.Abs(line.Values[key] - again.Values[key]) / Math.Max(Math.Abs(line.Values[key]), 1e-30));
            first ??= string.Create(CultureInfo.InvariantCulture,
                $"step {line.Step}: {unequal[0]} {line.Values[unequal[0]]:R} then, {again.Values[unequal[0]]:R} now");
        }
        output.Out.WriteLine($"re-run: {target}");
        if (missing > 0)
        {
            output.Out.WriteLine($"losses do not match: the re-run logged no step for {missing} of the run's {then.Count} steps");
            return CommandResult.Failed;
        }
        if (differing == 0)
        {
            output.Out.WriteLine($"losses match: all {then.Count} logged steps, loss and every term, bit for bit");
            return CommandResult.Ok;
        }
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"losses do not match: {differing} of {then.Count} steps differ; first at {first}; largest relative difference {largest:G3}"));
        return CommandResult.Failed;
    }

    // Measured, not computed: they differ on every run.
    private static readonly HashSet<string> Timing = ["step_ms", "data_ms", "comm_ms"];



    private CommandResult Fail(string message)
    {
        output.Error.WriteLine($"avdsl reproduce: {message}");
        return CommandResult.Failed;
    }
}
