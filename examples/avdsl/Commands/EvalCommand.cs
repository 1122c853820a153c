using System.CommandLine;
using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl eval &lt;run-dir&gt; --task keywords --probe linear|finetune [--init checkpoint|random] [--embedding NAME]</c>: the run's
/// encoder on one of the demo corpus' classification tasks; prints the accuracy and writes <c>&lt;run-dir&gt;/eval/&lt;task&gt;-&lt;probe&gt;.json</c>.
/// <c>--retrieval</c> instead matches the spec's two retrieval embeddings (audio ↔ video) on the task's held-out clips, for the
/// checkpoint and a random-init twin, and writes <c>&lt;task&gt;-retrieval.json</c> and <c>&lt;task&gt;-retrieval-random.json</c>.
/// <c>--continual</c> evaluates a run over a sequence of tasks: retrieval on every task's test split after every stage, with
/// the average and forgetting, written to <c>eval/continual.json</c>.
/// </summary>
public sealed class EvalCommand : ICliCommand
{
    public const string EmbedExample = "eval { embed: mean_tokens(encoder(patches(audio) + pos())) }";

    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly Func<CompiledSpec, TrainingPlan> planOf;

    private readonly Argument<string> runDirectory = new("run-dir") { Description = "A run directory made by `avdsl train` (spec.avml, checkpoint-final.safetensors)." };
    private readonly Option<string> task = new("--task") { Description = "The corpus task to evaluate on: a folder of the corpus with a manifest.csv (keywords, notes)." };
    private readonly Option<string[]> set = TrainCommand.SetOption();
    private readonly Option<bool> continual = new("--continual")
    {
        Description = "For a run over a sequence of tasks: zero-shot retrieval on every task's test split after every stage (the accuracy matrix), with the average and forgetting of R@1/5/10 both ways.",
    };
    private readonly Option<string> probe = new("--probe") { Description = "linear: a linear classifier on frozen embeddings; finetune: the encoder and a linear head trained together." };
    private readonly Option<bool> retrieval = new("--retrieval")
    {
        Description = "Instead of a probe: zero-shot retrieval between the spec's `retrieval: [a, b]` embeddings on the held-out split (R@1/5/10, median rank, both directions), for the checkpoint and a random-init twin (--seed).",
    };
    private readonly Option<string> embedding = new("--embedding") { Description = "Which of the spec's eval embeddings the probe reads (default: the first it declares)." };
    private readonly Option<string> init = new("--init") { Description = "checkpoint: the run's trained weights; random: the same architecture freshly initialised with --seed (the baseline).", DefaultValueFactory = _ => "checkpoint" };
    private readonly Option<long> seed = new("--seed") { Description = "Seeds the fresh initialisation (--init random) and fine-tuning's batch order.", DefaultValueFactory = _ => 0 };
    private readonly Option<string> corpus = new("--corpus") { Description = "The corpus folder (`avdsl corpus` builds it).", DefaultValueFactory = _ => DemoCorpusFolder.DefaultRoot };
    private readonly Option<int?> epochs = new("--epochs") { Description = $"Training epochs (default: {LinearProbeOptions.DefaultEpochs} full-batch steps for linear, {FineTuneOptions.DefaultEpochs} epochs for finetune)." };
    private readonly Option<string> split = new("--split")
    {
        Description = "The held-out split accuracy is measured on: test, or val to choose settings without looking at test (the report is then <task>-<probe>-val.json).",
        DefaultValueFactory = _ => "test",
    };
    private readonly Option<double?> learningRate = new("--lr") { Description = $"Peak learning rate (default: {LinearProbeOptions.DefaultLearningRate.ToString(CultureInfo.InvariantCulture)} for linear, {FineTuneOptions.DefaultLearningRate.ToString(CultureInfo.InvariantCulture)} for finetune)." };

    /// <param name="planOf">Builds the training plan of the run's compiled spec (tests substitute one with an embedding).</param>
    public EvalCommand(CommandOutput output, SpecResolver specs, Func<CompiledSpec, TrainingPlan>? planOf = null)
    {
        this.output = output;
        this.specs = specs;
        this.planOf = planOf ?? (compiled => compiled.Plan());
        probe.AcceptOnlyFromAmong("linear", "finetune");
        init.AcceptOnlyFromAmong("checkpoint", "random");
        Syntax = new Command("eval", "Evaluate a trained encoder on a labelled task of the demo corpus with a linear probe or fine-tuning.")
        {
            runDirectory, task, probe, retrieval, continual, embedding, init, seed, corpus, epochs, learningRate, split, set,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel)
    {
        if (parsed.GetValue(continual))
        {
            if (parsed.GetValue(task) is not null || parsed.GetValue(probe) is not null || parsed.GetValue(retrieval) || parsed.GetValue(embedding) is not null
                || parsed.GetResult(init) is { Implicit: false })
                return Fail("--continual evaluates every task the spec declares with its `retrieval` embeddings; drop --task, --probe, --retrieval, --embedding and --init",
                    ResultKind.UsageError);
            return RunContinual(parsed.GetValue(runDirectory)!, parsed.GetValue(seed), cancel, parsed.GetValue(set));
        }
        if (parsed.GetValue(task) is null)
            return Fail("say which task to evaluate on: --task keywords (a folder of the corpus with a manifest.csv), or --continual for a run over a sequence of tasks",
                ResultKind.UsageError);
        var retrieve = parsed.GetValue(retrieval);
        if (retrieve == (parsed.GetValue(probe) is not null))
            return Fail(retrieve ? "--retrieval and --probe are two evaluations; run them one at a time" : "say what to evaluate: --probe linear, --probe finetune or --retrieval",
                ResultKind.UsageError);
        if (retrieve && (parsed.GetResult(init) is { Implicit: false } || parsed.GetValue(embedding) is not null))
            return Fail("--retrieval reports the checkpoint and a random-init twin side by side, with the spec's `retrieval` embeddings; drop --init and --embedding",
                ResultKind.UsageError);
        return Run(new EvalOptions(
            parsed.GetValue(runDirectory)!, parsed.GetValue(task)!,
            parsed.GetValue(probe) == "finetune" ? EvaluationProbe.FineTune : EvaluationProbe.Linear,
            Random: parsed.GetValue(init) == "random", parsed.GetValue(seed), parsed.GetValue(corpus)!,
            parsed.GetValue(epochs), parsed.GetValue(learningRate), parsed.GetValue(split)!, parsed.GetValue(embedding), retrieve, parsed.GetValue(set)), cancel);
    }

    public EvalResult Run(EvalOptions options, CancellationToken cancel = default)
    {
        if (options.Epochs is <= 0)
            return Fail("--epochs must be at least 1", ResultKind.UsageError);
        if (options.LearningRate is { } rate && !(rate > 0 && double.IsFinite(rate)))
            return Fail("--lr must be a positive number", ResultKind.UsageError);

        if (OpenRun(options.RunDirectory, options.Set, out var run, out var compiled) is { } unopened) return unopened;
        string? checkpoint = null;
        if (!options.Random || options.Retrieval)
        {
            checkpoint = run.FinalCheckpoint;
            if (!File.Exists(checkpoint))
            {
                var partial = run.PartialCheckpoints;
                return Fail($"{run.Path} has no {Trainer.FinalCheckpointName} (the run did not finish" +
                    (partial.Count > 0 ? $"; it has {string.Join(", ", partial)}" : "") + "); train it to the end, or pass --init random for the untrained baseline");
            }
        }

        // The task: a folder of the corpus holding a manifest.
        if (!Directory.Exists(options.Corpus))
            return Fail($"no corpus at {options.Corpus}; build the demo corpus with `avdsl corpus`, or pass --corpus DIR");
        var tasks = Directory.GetDirectories(options.Corpus).Where(d => File.Exists(Path.Combine(d, "manifest.csv")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (!tasks.Contains(options.Task))
            return Fail($"no task `{options.Task}` in {options.Corpus}; its tasks are: {(tasks.Count == 0 ? "(none: no folder holds a manifest.csv)" : string.Join(", ", tasks))}", ResultKind.UsageError);
        var manifest = Path.Combine(options.Corpus, options.Task, "manifest.csv");

        var plan = planOf(compiled);
        var summary = PlanSummary.Of(plan);
        if (!summary.HasEmbedding)
            return Fail($"spec {compiled.Name} has no eval {{ embed: … }}; add one such as `{EmbedExample}` — the clip embedding [B, D] a probe reads");
        if (options.Embedding is { } name && plan.FindEmbedding(name) is null)
            return Fail($"spec {compiled.Name} has no embedding `{name}`; its eval block declares {string.Join(", ", plan.Embeddings.Select(e => e.Name))}", ResultKind.UsageError);
        if (options.Retrieval && plan.Retrieval is null)
            return Fail($"spec {compiled.Name} declares no retrieval; add `retrieval: [audio_clip, video_clip]` to its eval block, naming two embeddings of one width");
        if (!summary.HasMediaFeatures)
            return Fail($"spec {compiled.Name} does not say how its inputs are computed from media (no fbank or frames input), so it cannot open {manifest}");
        if (compiled.ResolvedSpec != run.SpecText)
            output.Error.WriteLine($"avdsl eval: warning: {run.SpecPath} differs from spec {compiled.Name} as compiled into this build; evaluating the compiled architecture with the run's weights");

        if (options.Retrieval) return Retrieve(options, compiled.Name, run, plan, manifest, checkpoint!, cancel);
        var request = new EvaluationRequest(options.Task, manifest, options.Probe, checkpoint, options.Seed, options.Epochs, options.LearningRate,
            TestSplit: options.HeldOut, Workers: Environment.ProcessorCount, Embedding: options.Embedding);
        output.Out.WriteLine($"evaluating {compiled.Name} from {run.Path} on {options.Task} ({EvaluationReport.ProbeName(options.Probe)}, {(options.Random ? $"random init, seed {options.Seed}" : "checkpoint")})");
        if (Attempt(() => TaskEvaluation.Run(plan, request, cancel), compiled.Name, checkpoint, out var report) is { } failed) return failed;

        var path = Path.Combine(run.Path, "eval", EvaluationReport.FileName(options.Task, options.Probe, options.Random, options.HeldOut, options.Embedding));
        report.Write(path);
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accuracy {100 * report.Accuracy:0.0}% on {report.TestClips} {options.HeldOut} clips (chance {100 * report.Chance:0.0}%); trained on {report.TrainClips} clips, {report.Classes.Count} classes, {report.Epochs} epochs, lr {report.LearningRate:G3}, seed {report.Seed}"));
        if (report.Recipe is { } r)
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"recipe: layer decay {r.LayerDecay:G3}, weight decay {r.WeightDecay:G3}, drop-path {r.DropPath:G3}, time mask {r.TimeMask:G3}, frequency mask {r.FrequencyMask:G3}, mixup {r.Mixup:G3}, batch {r.BatchSize}"));
        foreach (var held in report.Splits.Where(s => s.Bad > 0))
            output.Out.WriteLine($"skipped {held.Bad} of {held.Listed} {held.Split} clip(s) whose media could not be decoded: {string.Join(", ", held.BadByReason.Select(p => $"{p.Value} {p.Key}"))}");
        output.Out.WriteLine($"wrote {path}");
        return new EvalResult(ResultKind.Ok, report);
    }

    /// <summary>The run: its folder, the spec it was trained from, and that spec compiled into this build; a failure when any is
    /// missing (said on stderr).</summary>
    /// <param name="set">--set overrides of the run's spec (an eval protocol's settings, say).</param>
    private EvalResult? OpenRun(string directory, IReadOnlyList<string>? set, out TrainedRun run, out CompiledSpec compiled)
    {
        run = new TrainedRun(directory);
        compiled = null!;
        if (!run.Exists)
            return Fail($"no run directory at {run.Path}; pass a folder made by `avdsl train` (it prints the path)");
        if (!run.HasSpec)
            return Fail($"{run.Path} has no {Trainer.SpecFileName}, so it is not a run directory made by `avdsl train`");
        var overrides = SettingOverride.ParseAll(set, "avdsl eval", output.Error);
        if (overrides is null) return new EvalResult(ResultKind.UsageError);
        var found = specs.OfRun(run, "avdsl eval");
        if (found is not null) found = specs.WithOverrides(found, overrides, "avdsl eval");
        if (found is null) return new EvalResult(ResultKind.Failed);
        compiled = found;
        return null;
    }

    /// <summary>The accuracy matrix of a run over a sequence of tasks, from its checkpoint-stage-K files.</summary>
    public EvalResult RunContinual(string runDirectory, long evalSeed, CancellationToken cancel = default, IReadOnlyList<string>? set = null)
    {
        if (OpenRun(runDirectory, set, out var run, out var compiled) is { } unopened) return unopened;
        var plan = planOf(compiled);
        if (plan.Stages.Count == 0)
            return Fail($"spec {compiled.Name} trains on one source, so there is no sequence of tasks to evaluate; use --task NAME --retrieval or --probe");
        if (plan.Retrieval is null)
            return Fail($"spec {compiled.Name} declares no retrieval; add `retrieval: [audio_clip, video_clip]` to its eval block, naming two embeddings of one width");
        var checkpoints = Enumerable.Range(1, plan.Stages.Count).Select(k => Path.Combine(run.Path, Trainer.StageCheckpointName(k))).ToList();
        var done = checkpoints.TakeWhile(File.Exists).Count();
        if (done < checkpoints.Count)
            return Fail($"{run.Path} holds {done} of the {checkpoints.Count} stage checkpoints (checkpoint-stage-K.safetensors): the run stopped in stage {done + 1}, {plan.Stages[done].Name}; resume it with `avdsl train {compiled.Name} --resume {run.Path}`");
        if (compiled.ResolvedSpec != run.SpecText)
            output.Error.WriteLine($"avdsl eval: warning: {run.SpecPath} differs from spec {compiled.Name} as compiled into this build; evaluating the compiled architecture with the run's weights");
        output.Out.WriteLine($"continual evaluation of {compiled.Name} from {run.Path}: {plan.Tasks.Count} tasks' test splits after each of {plan.Stages.Count} stages");
        if (Attempt(() => ContinualEvaluation.Run(plan, checkpoints, evalSeed, Environment.ProcessorCount,
                cell => output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  after stage {cell.Stage}: {cell.Task} ({cell.Clips} clips) R@10 {100 * cell.FirstToSecond.R10:0.0}% / {100 * cell.SecondToFirst.R10:0.0}%")), cancel),
                compiled.Name, checkpoints[^1], out var report) is { } failed)
            return failed;
        ContinualTable.Write(output, report);
        var path = Path.Combine(run.Path, "eval", ContinualReport.FileName);
        report.Write(path);
        output.Out.WriteLine($"wrote {path}");
        return new EvalResult(ResultKind.Ok, Continual: report);
    }

    /// <summary>Retrieval for the checkpoint and for a random-init twin, one table, two reports.</summary>
    private EvalResult Retrieve(EvalOptions options, string specName, TrainedRun run, TrainingPlan plan, string manifest, string checkpoint, CancellationToken cancel)
    {
        var request = new RetrievalRequest(options.Task, manifest, checkpoint, options.Seed, options.HeldOut, Workers: Environment.ProcessorCount);
        output.Out.WriteLine($"retrieval with {specName} from {run.Path} on {options.Task}, {options.HeldOut} split: checkpoint, and random init (seed {options.Seed})");
        if (Attempt(() => (RetrievalEvaluation.Run(plan, request, cancel), RetrievalEvaluation.Run(plan, request with { Checkpoint = null }, cancel)),
                specName, checkpoint, out var pair) is { } failed)
            return failed;
        var (trained, random) = pair;
        RetrievalTable.Write(output, trained, random);
        if (trained.Decoded.Bad > 0)
            output.Out.WriteLine($"skipped {trained.Decoded.Bad} of {trained.Decoded.Listed} {options.HeldOut} clip(s) whose media could not be decoded: {string.Join(", ", trained.Decoded.BadByReason.Select(p => $"{p.Value} {p.Key}"))}");
        var folder = Path.Combine(run.Path, "eval");
        trained.Write(Path.Combine(folder, RetrievalReport.FileName(options.Task, random: false, options.HeldOut)));
        random.Write(Path.Combine(folder, RetrievalReport.FileName(options.Task, random: true, options.HeldOut)));
        output.Out.WriteLine($"wrote {Path.Combine(folder, RetrievalReport.FileName(options.Task, random: false, options.HeldOut))} and its -random twin");
        return new EvalResult(ResultKind.Ok, Retrieval: trained, RetrievalRandom: random);
    }

    /// <summary>Runs an evaluation; what bad input, a missing tool or a stop make of it is one line, and nothing is written.</summary>
    private EvalResult? Attempt<T>(Func<T> evaluate, string specName, string? checkpoint, out T result)
    {
        result = default!;
        try
        {
            result = evaluate();
            return null;
        }
        catch (OperationCanceledException)
        {
            return Fail("stopped; nothing was written");
        }
        catch (StateDictMismatchException mismatch)
        {
            return Fail($"{checkpoint} does not fit spec {specName} as compiled now: {mismatch.Message}");
        }
        catch (Exception failure) when (failure is ManifestException or MediaToolMissingException or BadInputLimitExceededException or InvalidDataException or IOException or ArgumentException)
        {
            return Fail(failure.Message);
        }
    }

    private EvalResult Fail(string message, ResultKind kind = ResultKind.Failed)
    {
        output.Error.WriteLine($"avdsl eval: {message}");
        return new EvalResult(kind);
    }
}
