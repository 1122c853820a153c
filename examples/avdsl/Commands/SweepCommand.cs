using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Cli.Sweeps;
using AvDsl.Dsl.Binding;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Parsing;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl sweep &lt;file.avml&gt;</c>: trains every variant of the file's sweep (or every spec of a file without
/// sweeps), each in its own run directory under the sweep directory, then writes summary.md. Run it again and it picks
/// up where it stopped: a finished variant is skipped, an interrupted one resumes from its checkpoint, and points added
/// to the sweep since are trained. <c>--jobs N</c> trains N variants at once; <c>--launcher slurm</c> submits them as a
/// Slurm job array instead.
/// </summary>
public sealed class SweepCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly TrainCommand train;
    private readonly Argument<string> file = new("file") { Description = "A spec file holding a sweep (or several specs: each is a variant)." };
    private readonly Option<string?> sweep = new("--sweep") { Description = "Which sweep of a file that holds several." };
    private readonly Option<string?> directory = new("--sweep-dir") { Description = "The sweep directory (default: sweeps/<sweep-name>). Running the same sweep into it again continues it." };
    private readonly Option<long?> steps = new("--steps") { Description = "Train every variant this many steps instead of the spec's." };
    private readonly Option<int> jobs = new("--jobs") { Description = "Variants trained at once, each in its own process with its share of the cores (or, with Slurm, the array's limit).", DefaultValueFactory = _ => 1 };
    private readonly Option<string> launcher = new("--launcher") { Description = "local: train here; slurm: write sweep.sbatch and submit it with sbatch as a job array.", DefaultValueFactory = _ => "local" };
    private readonly Option<int> processes = new("--nproc") { Description = "Data-parallel processes per variant (local: --nproc of avdsl train; Slurm: tasks per node).", DefaultValueFactory = _ => 1 };
    private readonly Option<string[]> set = TrainCommand.SetOption();

    public SweepCommand(CommandOutput output, SpecResolver specs, TrainCommand train)
    {
        this.output = output;
        this.specs = specs;
        this.train = train;
        launcher.AcceptOnlyFromAmong("local", "slurm");
        Syntax = new Command("sweep", "Train every variant of a sweep, resumably, each in its own run directory, then write the sweep's summary; or submit them to Slurm.")
        {
            file, sweep, directory, steps, jobs, launcher, processes, set,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(new SweepOptions(
        parsed.GetValue(file)!, parsed.GetValue(sweep), parsed.GetValue(directory), parsed.GetValue(steps), parsed.GetValue(jobs),
        parsed.GetValue(launcher)!, parsed.GetValue(processes), parsed.GetValue(set)), cancel);

    public CommandResult Run(SweepOptions options, CancellationToken cancel = default)
    {
        if (options.Jobs < 1) return Fail("--jobs must be at least 1", ResultKind.UsageError);
        if (options.Processes < 1) return Fail("--nproc must be at least 1", ResultKind.UsageError);
        if (options.Steps is <= 0) return Fail("--steps must be at least 1", ResultKind.UsageError);
        if (!File.Exists(options.File)) return Fail($"no spec file '{options.File}'", ResultKind.UsageError);
        var overrides = SettingOverride.ParseAll(options.Set, "avdsl sweep", output.Error);
        if (overrides is null) return CommandResult.UsageError;

        var bound = SpecFiles.Compile(options.File);
        foreach (var diagnostic in bound.Diagnostics.Where(d => d.IsError)) output.Error.WriteLine(DiagnosticRenderer.Render(diagnostic, bound.FileOf(diagnostic)));
        if (bound.HasErrors) return CommandResult.Failed;
        var sweeps = bound.Specs.Where(s => s.Variant is not null).GroupBy(s => s.Variant!.Sweep).ToList();
        string name;
        string? baseSpec;
        List<AvDsl.Dsl.Model.Spec> points;
        if (options.Sweep is { } chosen)
        {
            var group = sweeps.FirstOrDefault(g => g.Key == chosen);
            if (group is null)
                return Fail(sweeps.Count == 0
                    ? $"{options.File} declares no sweep; leave out --sweep to train each of its specs as a variant"
                    : $"{options.File} has no sweep `{chosen}`; {(NearMiss.Find(chosen, sweeps.Select(g => g.Key)) is { } near ? $"did you mean `{near}`?" : $"it holds {string.Join(", ", sweeps.Select(g => g.Key))}")}", ResultKind.UsageError);
            (name, baseSpec, points) = (group.Key, group.First().Variant!.Base, group.ToList());
        }
        else if (sweeps.Count == 1)
            (name, baseSpec, points) = (sweeps[0].Key, sweeps[0].First().Variant!.Base, sweeps[0].ToList());
        else if (sweeps.Count > 1)
            return Fail($"{options.File} holds several sweeps ({string.Join(", ", sweeps.Select(g => g.Key))}); choose one with --sweep <name>", ResultKind.UsageError);
        else
        {
            var own = SpecParser.Parse(options.File, File.ReadAllText(options.File)).Specs.Select(s => s.Name).ToHashSet();
            points = bound.Specs.Where(s => s.Variant is null && own.Contains(s.Name)).ToList();
            if (points.Count == 0) return Fail($"{options.File} declares no spec or sweep", ResultKind.UsageError);
            (name, baseSpec) = (Path.GetFileNameWithoutExtension(options.File), null);
        }

        // Each variant as it will train: compiled, with the overrides, so its hash is what its run records.
        var compiled = specs.ResolveAll(options.File);
        var variants = new List<(SweepRecord.Variant Record, CompiledSpec Spec)>();
        foreach (var point in points)
        {
            var spec = compiled.FirstOrDefault(c => c.Name == point.Name);
            if (spec is null) return Fail($"variant {point.Name} of {options.File} did not compile");
            spec = specs.WithOverrides(spec, overrides, "avdsl sweep");
            if (spec is null) return CommandResult.Failed;
            var settings = point.Variant?.Point.ToDictionary(p => p.Path, p => p.Value) ?? new Dictionary<string, string> { ["spec"] = point.Name };
            variants.Add((new SweepRecord.Variant(point.Name, RunSnapshot.SpecHashOf(spec.ResolvedSpec), settings), spec));
        }

        var folder = Path.GetFullPath(options.Directory ?? Path.Combine("sweeps", Kebab(name)));
        var record = new SweepRecord(name, baseSpec, Path.GetFullPath(options.File), overrides.Select(o => o.Text).ToList(), options.Steps,
            variants.Select(v => v.Record).ToList());
        if (Continue(folder, record) is not { } merged) return CommandResult.Failed;
        Directory.CreateDirectory(folder);
        merged.Write(folder);

        var states = variants.Select(v => VariantState.Of(folder, v.Record.Name)).ToList();
        var done = states.Count(s => s.Progress == VariantProgress.Done);
        output.Out.WriteLine($"sweep {name}{(baseSpec is null ? "" : $" of {baseSpec}")}: {variants.Count} variant{(variants.Count == 1 ? "" : "s")}, {done} done; directory {folder}");
        var todo = states.Where(s => s.Progress != VariantProgress.Done).ToList();
        // While the last array still runs, a variant without a checkpoint yet is one in training, not one killed: ask
        // Slurm first, before anything is moved aside.
        if (options.Launcher == "slurm" && todo.Count > 0 && StillQueued(folder) is { } queued) return Fail(queued);
        foreach (var state in todo.Where(s => s.Progress == VariantProgress.NoCheckpoint))
        {
            // Killed before its first checkpoint: nothing to resume, so it starts again; its log is kept aside.
            var aside = RunDirectory.NextFree(state.RunDirectory + ".interrupted");
            Directory.Move(state.RunDirectory, aside);
            output.Out.WriteLine($"{state.Name}: stopped before its first checkpoint; starting it again (what it wrote is in {aside})");
        }

        List<string> Arguments(VariantState state) => state.Progress == VariantProgress.Resumable
            ? ["--resume", state.RunDirectory]
            : [
                Path.GetFullPath(options.File), "--spec", state.Name, "--run-dir", state.RunDirectory,
                .. options.Steps is { } n ? new[] { "--steps", n.ToString(CultureInfo.InvariantCulture) } : [],
                .. overrides.SelectMany(o => new[] { "--set", o.Text }),
            ];

        if (options.Launcher == "slurm")
            return Submit(name, folder, todo.Select(Arguments).ToList(), options);

        var failed = options.Jobs == 1 || todo.Count <= 1
            ? TrainHere(todo, Arguments, options, overrides, cancel)
            : TrainInProcesses(todo, Arguments, folder, options, cancel);
        var table = SweepSummary.Render(merged, folder);
        File.WriteAllText(Path.Combine(folder, SweepSummary.FileName), $"# Sweep {name}\n\n{table}");
        output.Out.WriteLine();
        output.Out.Write(table);
        output.Out.WriteLine($"summary: {Path.Combine(folder, SweepSummary.FileName)}");
        if (cancel.IsCancellationRequested)
            return Fail("stopped; run the same command again to continue the sweep");
        if (failed.Count > 0)
            return Fail($"{failed.Count} variant{(failed.Count == 1 ? "" : "s")} failed: {string.Join(", ", failed)}; their run directories and logs say why, and the same command trains them again");
        return CommandResult.Ok;
    }

    /// <summary>The record to keep in <paramref name="folder"/>: this sweep's, joined with the points already there; null
    /// (said why) when the folder holds another sweep or a variant whose spec has changed since it trained.</summary>
    private SweepRecord? Continue(string folder, SweepRecord record)
    {
        if (!Directory.Exists(folder)) return record;
        SweepRecord? existing;
        try
        {
            existing = SweepRecord.Read(folder);
        }
        catch (InvalidDataException error)
        {
            output.Error.WriteLine($"avdsl sweep: {error.Message}");
            return null;
        }
        if (existing is null)
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any()) return record;
            output.Error.WriteLine($"avdsl sweep: '{folder}' is not empty and holds no {SweepRecord.FileName}, so it is no sweep directory; choose another --sweep-dir");
            return null;
        }
        if (existing.Sweep != record.Sweep || existing.Base != record.Base)
        {
            output.Error.WriteLine($"avdsl sweep: '{folder}' holds sweep `{existing.Sweep}`{(existing.Base is null ? "" : $" of {existing.Base}")} (from {existing.File}), " +
                                   $"not `{record.Sweep}`{(record.Base is null ? "" : $" of {record.Base}")}; give this sweep its own --sweep-dir");
            return null;
        }
        if (existing.Steps != record.Steps || !existing.Overrides.SequenceEqual(record.Overrides))
        {
            output.Error.WriteLine($"avdsl sweep: '{folder}' was swept with {Describe(existing.Steps, existing.Overrides)}, and this run asks for {Describe(record.Steps, record.Overrides)}; " +
                                   "use the same options to continue it, or give this sweep its own --sweep-dir");
            return null;
        }
        foreach (var variant in record.Variants)
        {
            if (existing.Variants.FirstOrDefault(v => v.Name == variant.Name) is { } old && old.SpecHash != variant.SpecHash
                && VariantState.Of(folder, variant.Name).Progress != VariantProgress.NotStarted)
            {
                output.Error.WriteLine($"avdsl sweep: variant {variant.Name} in '{folder}' was trained from another version of its spec (the file changed since); " +
                                       "give the changed sweep its own --sweep-dir, or remove that variant's folder to train it again");
                return null;
            }
        }
        var added = record.Variants.Count(v => existing.Variants.All(o => o.Name != v.Name));
        if (added > 0) output.Out.WriteLine($"the sweep has {added} point{(added == 1 ? "" : "s")} more than when it last ran; they are added");
        // Points the file no longer has stay listed: their runs are still in the folder.
        return record with { Variants = [.. record.Variants, .. existing.Variants.Where(o => record.Variants.All(v => v.Name != o.Name))] };
    }

    private static string Describe(long? steps, IReadOnlyList<string> overrides) =>
        (steps is { } n ? $"--steps {n}" : "the spec's steps") + (overrides.Count == 0 ? " and no --set" : $" and --set {string.Join(" ", overrides)}");

    private List<string> TrainHere(IReadOnlyList<VariantState> todo, Func<VariantState, List<string>> arguments, SweepOptions sweep,
        IReadOnlyList<SettingOverride> overrides, CancellationToken cancel)
    {
        var failed = new List<string>();
        int? processes = sweep.Processes > 1 ? sweep.Processes : null;
        foreach (var state in todo)
        {
            if (cancel.IsCancellationRequested) break;
            output.Out.WriteLine($"{state.Name}: {(state.Progress == VariantProgress.Resumable ? "resuming" : "training")}");
            var options = state.Progress == VariantProgress.Resumable
                ? new TrainOptions(null, Resume: state.RunDirectory, Processes: processes)
                : new TrainOptions(Path.GetFullPath(sweep.File), SpecName: state.Name, Steps: sweep.Steps, RunDirectory: state.RunDirectory,
                    Processes: processes, Set: overrides.Select(o => o.Text).ToList());
            if (!train.Run(options, cancel, arguments(state)).Succeeded && !cancel.IsCancellationRequested) failed.Add(state.Name);
        }
        return failed;
    }

    /// <summary>Up to --jobs variants at once, each an <c>avdsl train</c> process with its share of the cores and its
    /// output in logs/&lt;variant&gt;.log.</summary>
    private List<string> TrainInProcesses(IReadOnlyList<VariantState> todo, Func<VariantState, List<string>> arguments, string folder, SweepOptions options, CancellationToken cancel)
    {
        var logs = Directory.CreateDirectory(Path.Combine(folder, "logs")).FullName;
        var threads = Math.Max(1, Environment.ProcessorCount / (options.Jobs * options.Processes));
        var failed = new List<string>();
        var running = new List<(VariantState State, Process Process)>();
        var queue = new Queue<VariantState>(todo);
        while (queue.Count > 0 || running.Count > 0)
        {
            while (running.Count < options.Jobs && queue.Count > 0 && !cancel.IsCancellationRequested)
            {
                var state = queue.Dequeue();
                var start = SelfProcess.Start(["train", .. arguments(state), .. options.Processes > 1 ? new[] { "--nproc", options.Processes.ToString(CultureInfo.InvariantCulture) } : []]);
                start.Environment["AVDSL_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
                var log = Path.Combine(logs, state.Name + ".log");
                start.RedirectStandardOutput = start.RedirectStandardError = true;
                var process = Process.Start(start)!;
                var writer = new StreamWriter(log, append: true) { AutoFlush = true };
                process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
                process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
                process.Exited += (_, _) => { process.WaitForExit(); lock (writer) writer.Dispose(); };
                process.EnableRaisingEvents = true;
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                running.Add((state, process));
                output.Out.WriteLine($"{state.Name}: started ({threads} thread{(threads == 1 ? "" : "s")}; log {log})");
            }
            if (cancel.IsCancellationRequested)
                foreach (var (_, process) in running.Where(r => !r.Process.HasExited))
                    process.Kill(entireProcessTree: true); // each run's last checkpoint stays; the sweep resumes from it
            var exited = running.FirstOrDefault(r => r.Process.HasExited);
            if (exited.Process is null)
            {
                Thread.Sleep(100);
                continue;
            }
            running.Remove(exited);
            exited.Process.WaitForExit();
            var ok = exited.Process.ExitCode == 0;
            if (!ok && !cancel.IsCancellationRequested) failed.Add(exited.State.Name);
            output.Out.WriteLine($"{exited.State.Name}: {(ok ? "done" : $"failed (exit code {exited.Process.ExitCode}; see logs/{exited.State.Name}.log)")}");
            exited.Process.Dispose();
        }
        return failed;
    }

    private CommandResult Submit(string name, string folder, IReadOnlyList<List<string>> todo, SweepOptions options)
    {
        if (todo.Count == 0)
        {
            output.Out.WriteLine("every variant is done; nothing to submit");
            return CommandResult.Ok;
        }
        var jobFile = Path.Combine(folder, SlurmScript.JobFileName);
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        File.WriteAllLines(Path.Combine(folder, SlurmScript.VariantsFileName), todo.Select(SlurmScript.ArgumentLine));
        var script = Path.Combine(folder, SlurmScript.FileName);
        File.WriteAllText(script, SlurmScript.Render(Kebab(name), folder, SelfProcess.Command(), todo.Count, options.Processes, options.Jobs > 1 ? options.Jobs : null));
        output.Out.WriteLine($"wrote {script} ({todo.Count} array task{(todo.Count == 1 ? "" : "s")})");
        var sbatch = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true };
        sbatch.ArgumentList.Add("--parsable");
        sbatch.ArgumentList.Add(script);
        try
        {
            using var process = Process.Start(sbatch)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                return Fail($"sbatch refused {script}: {stderr.Trim()}");
            var job = stdout.Result.Trim().Split(';')[0];
            File.WriteAllText(jobFile, job + "\n");
            output.Out.WriteLine($"submitted job array {job}; `avdsl sweep` with the same arguments shows where the variants stand and submits what is left");
            return CommandResult.Ok;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return Fail($"sbatch is not on PATH: Slurm is not installed here. {script} is written; submit it where Slurm runs, or leave out --launcher slurm to train here");
        }
    }

    /// <summary>Why not to submit again: the sweep's last job array still has tasks in Slurm's queue (submitting would
    /// train its variants twice); null when it has none, or squeue cannot say.</summary>
    private static string? StillQueued(string folder)
    {
        var jobFile = Path.Combine(folder, SlurmScript.JobFileName);
        if (!File.Exists(jobFile) || File.ReadAllText(jobFile).Trim() is not { Length: > 0 } previous) return null;
        if (Queued(previous) is not { } tasks || tasks == 0) return null;
        return $"job array {previous} of this sweep still has {tasks} task{(tasks == 1 ? "" : "s")} in Slurm's queue; wait for it (squeue -j {previous}) or cancel it (scancel {previous}), then run this again";
    }

    /// <summary>How many of the job's tasks Slurm still queues or runs; null when squeue cannot say.</summary>
    private static int? Queued(string job)
    {
        try
        {
            var start = new ProcessStartInfo("squeue") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--noheader", "--array", "--format=%i", "--jobs", job }) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            // squeue fails on a job it has forgotten: nothing of it is left.
            return process.ExitCode == 0 ? lines.Length : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }


    // MaskRatio → mask-ratio, as run directories are named.
    private static string Kebab(string name) => System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z0-9])(?=[A-Z])", "-").Replace('_', '-').ToLowerInvariant();


    private CommandResult Fail(string message, ResultKind kind = ResultKind.Failed)
    {
        output.Error.WriteLine($"avdsl sweep: {message}");
        return new CommandResult(kind);
    }
}
