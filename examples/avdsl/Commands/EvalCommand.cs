using System.CommandLine;
using System.Globalization;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary>
/// <c>avdsl eval &lt;run-dir&gt; --task keywords --probe linear|finetune [--init checkpoint|random]</c>: the run's encoder
/// on one of the demo corpus' classification tasks; prints the accuracy and writes <c>&lt;run-dir&gt;/eval/&lt;task&gt;-&lt;probe&gt;.json</c>.
/// </summary>
public static class EvalCommand
{
    public const string DefaultCorpus = "data/demo-corpus";
    public const string EmbedExample = "eval { embed: mean_tokens(encoder(patches(audio) + pos())) }";

    public static Command Create()
    {
        var runDirectory = new Argument<string>("run-dir") { Description = "A run directory made by `avdsl train` (spec.avml, checkpoint-final.safetensors)." };
        var task = new Option<string>("--task") { Description = "The corpus task to evaluate on: a folder of the corpus with a manifest.csv (keywords, notes).", Required = true };
        var probe = new Option<string>("--probe") { Description = "linear: a linear classifier on frozen embeddings; finetune: the encoder and a linear head trained together.", Required = true };
        probe.AcceptOnlyFromAmong("linear", "finetune");
        var init = new Option<string>("--init") { Description = "checkpoint: the run's trained weights; random: the same architecture freshly initialised with --seed (the baseline).", DefaultValueFactory = _ => "checkpoint" };
        init.AcceptOnlyFromAmong("checkpoint", "random");
        var seed = new Option<long>("--seed") { Description = "Seeds the fresh initialisation (--init random) and fine-tuning's batch order.", DefaultValueFactory = _ => 0 };
        var corpus = new Option<string>("--corpus") { Description = "The corpus folder (`avdsl corpus` builds it).", DefaultValueFactory = _ => DefaultCorpus };
        var epochs = new Option<int?>("--epochs") { Description = $"Training epochs (default: {LinearProbeOptions.DefaultEpochs} full-batch steps for linear, {FineTuneOptions.DefaultEpochs} epochs for finetune)." };
        var split = new Option<string>("--split")
        {
            Description = "The held-out split accuracy is measured on: test, or val to choose settings without looking at test (the report is then <task>-<probe>-val.json).",
            DefaultValueFactory = _ => "test",
        };
        var learningRate = new Option<double?>("--lr") { Description = $"Peak learning rate (default: {LinearProbeOptions.DefaultLearningRate.ToString(CultureInfo.InvariantCulture)} for linear, {FineTuneOptions.DefaultLearningRate.ToString(CultureInfo.InvariantCulture)} for finetune)." };
        var command = new Command("eval", "Evaluate a trained encoder on a labelled task of the demo corpus with a linear probe or fine-tuning.")
        {
            runDirectory, task, probe, init, seed, corpus, epochs, learningRate, split,
        };
        command.SetAction((result, cancel) => Task.FromResult(Run(
            result.GetValue(runDirectory)!, result.GetValue(task)!,
            result.GetValue(probe) == "finetune" ? EvaluationProbe.FineTune : EvaluationProbe.Linear,
            random: result.GetValue(init) == "random", result.GetValue(seed), result.GetValue(corpus)!,
            result.GetValue(epochs), result.GetValue(learningRate), Console.Out, Console.Error, cancel, heldOut: result.GetValue(split)!)));
        return command;
    }

    /// <param name="planOf">Builds the training plan of the run's compiled spec (tests substitute one with an embedding).</param>
    /// <param name="reported">Receives the report once it is written (the demo tabulates them).</param>
    public static int Run(string runDirectory, string task, EvaluationProbe probe, bool random, long seed, string corpus, int? epochs, double? learningRate,
        TextWriter output, TextWriter error, CancellationToken cancel = default, Func<CompiledSpec, TrainingPlan>? planOf = null,
        Action<EvaluationReport>? reported = null, string heldOut = "test")
    {
        if (epochs is <= 0)
            return Fail(error, "--epochs must be at least 1", ExitCodes.Usage);
        if (learningRate is not null && !(learningRate > 0 && double.IsFinite(learningRate.Value)))
            return Fail(error, "--lr must be a positive number", ExitCodes.Usage);

        // The run: its folder, the spec it was trained from, and that spec compiled into this build.
        if (!Directory.Exists(runDirectory))
            return Fail(error, $"no run directory at {runDirectory}; pass a folder made by `avdsl train` (it prints the path)");
        var specPath = Path.Combine(runDirectory, Trainer.SpecFileName);
        if (!File.Exists(specPath))
            return Fail(error, $"{runDirectory} has no {Trainer.SpecFileName}, so it is not a run directory made by `avdsl train`");
        var runSpec = File.ReadAllText(specPath);
        var specName = SpecName(runSpec);
        if (specName is null)
            return Fail(error, $"{specPath} does not start with `spec <Name>`; it is not a resolved spec written by `avdsl train`");
        var compiled = CompiledSpecs.All.FirstOrDefault(s => s.Name == specName);
        if (compiled is null)
            return Fail(error, $"spec {specName} (from {specPath}) is not compiled into this build; compiled specs: {string.Join(", ", CompiledSpecs.All.Select(s => s.Name))}");
        string? checkpoint = null;
        if (!random)
        {
            checkpoint = Path.Combine(runDirectory, Trainer.FinalCheckpointName);
            if (!File.Exists(checkpoint))
            {
                var partial = Directory.GetFiles(runDirectory, "checkpoint-*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                return Fail(error, $"{runDirectory} has no {Trainer.FinalCheckpointName} (the run did not finish" +
                    (partial.Count > 0 ? $"; it has {string.Join(", ", partial)}" : "") + "); train it to the end, or pass --init random for the untrained baseline");
            }
        }

        // The task: a folder of the corpus holding a manifest.
        if (!Directory.Exists(corpus))
            return Fail(error, $"no corpus at {corpus}; build the demo corpus with `avdsl corpus`, or pass --corpus DIR");
        var tasks = Directory.GetDirectories(corpus).Where(d => File.Exists(Path.Combine(d, "manifest.csv")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (!tasks.Contains(task))
            return Fail(error, $"no task `{task}` in {corpus}; its tasks are: {(tasks.Count == 0 ? "(none: no folder holds a manifest.csv)" : string.Join(", ", tasks))}", ExitCodes.Usage);
        var manifest = Path.Combine(corpus, task, "manifest.csv");

        var plan = planOf is null ? compiled.Plan() : planOf(compiled);
        if (!plan.HasEmbedding)
            return Fail(error, $"spec {specName} has no eval {{ embed: … }}; add one such as `{EmbedExample}` — the clip embedding [B, D] a probe reads");
        if (plan.Features.Count == 0)
            return Fail(error, $"spec {specName} does not say how its inputs are computed from media (no fbank or frames input), so it cannot open {manifest}");
        if (compiled.ResolvedSpec != runSpec)
            error.WriteLine($"avdsl eval: warning: {specPath} differs from spec {specName} as compiled into this build; evaluating the compiled architecture with the run's weights");

        var request = new EvaluationRequest(task, manifest, probe, checkpoint, seed, epochs, learningRate, TestSplit: heldOut, Workers: Environment.ProcessorCount);
        EvaluationReport report;
        try
        {
            output.WriteLine($"evaluating {specName} from {runDirectory} on {task} ({EvaluationReport.ProbeName(probe)}, {(random ? $"random init, seed {seed}" : "checkpoint")})");
            report = TaskEvaluation.Run(plan, request, cancel);
        }
        catch (OperationCanceledException)
        {
            return Fail(error, "stopped; nothing was written");
        }
        catch (StateDictMismatchException mismatch)
        {
            return Fail(error, $"{checkpoint} does not fit spec {specName} as compiled now: {mismatch.Message}");
        }
        catch (Exception failure) when (failure is ManifestException or MediaToolMissingException or BadInputLimitExceededException or InvalidDataException or IOException or ArgumentException)
        {
            return Fail(error, failure.Message);
        }

        var path = Path.Combine(runDirectory, "eval", EvaluationReport.FileName(task, probe, random, heldOut));
        report.Write(path);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accuracy {100 * report.Accuracy:0.0}% on {report.TestClips} {heldOut} clips (chance {100 * report.Chance:0.0}%); trained on {report.TrainClips} clips, {report.Classes.Count} classes, {report.Epochs} epochs, lr {report.LearningRate:G3}, seed {report.Seed}"));
        foreach (var split in report.Splits.Where(s => s.Bad > 0))
            output.WriteLine($"skipped {split.Bad} of {split.Listed} {split.Split} clip(s) whose media could not be decoded: {string.Join(", ", split.BadByReason.Select(p => $"{p.Value} {p.Key}"))}");
        output.WriteLine($"wrote {path}");
        reported?.Invoke(report);
        return ExitCodes.Ok;
    }

    /// <summary>The name in a resolved spec's first line, <c>spec &lt;Name&gt; …</c>.</summary>
    public static string? SpecName(string resolvedSpec)
    {
        var first = resolvedSpec.Split('\n', 2)[0].Trim();
        var words = first.Split([' ', '\t', '{'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length >= 2 && words[0] == "spec" ? words[1] : null;
    }

    private static int Fail(TextWriter error, string message, int code = ExitCodes.Failed)
    {
        error.WriteLine($"avdsl eval: {message}");
        return code;
    }
}
