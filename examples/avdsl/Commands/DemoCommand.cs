using System.CommandLine;
using System.Globalization;
using AvDsl.Demo;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Training;
using AvDsl.Specs;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl demo</c>: the whole story on an embedded default — build the demo corpus on first use, pre-train
/// EAT-tiny (specs/eat-tiny.avml) on it, then linear-probe the trained encoder and a randomly initialised twin on
/// each of the corpus' tasks and print them side by side.</summary>
public static class DemoCommand
{
    public const string DefaultSpec = "EatTiny";

    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
        var command = new Command("demo",
            $"Build the demo corpus in {CorpusCommand.DefaultRoot} on first use, pre-train EAT-tiny (specs/eat-tiny.avml) on it for a few minutes, " +
            "then linear-probe the trained encoder and a random-init twin on each task and print the table.")
        {
            runs,
        };
        command.SetAction((result, cancel) => Task.FromResult(Run(result.GetValue(runs)!, cancel)));
        return command;
    }

    /// <summary>The seed of the random-init twin and of the probes; pre-training uses the spec's own seed.</summary>
    public const long ProbeSeed = 0;

    public static int Run(string runs, CancellationToken cancel)
    {
        const long seed = ProbeSeed;
        // Looked up by name, so a broken spec is reported as a spec error, not a C# one.
        var spec = CompiledSpecs.All.FirstOrDefault(s => s.Name == DefaultSpec);
        if (spec is null)
        {
            Console.Error.WriteLine($"avdsl demo: spec {DefaultSpec} is not compiled into this build; run ./avdsl check specs/eat-tiny.avml to see why");
            return ExitCodes.Failed;
        }
        // The corpus comes first so a missing synthesizer is reported before training starts.
        var built = CorpusCommand.Ensure(CorpusCommand.DefaultRoot, CorpusCommand.DefaultSeed, soundFont: null, cancel);
        if (built != ExitCodes.Ok) return built;

        var plan = spec.Plan();
        var epochs = plan.Epochs is { } e ? $"{e} epochs" : $"{plan.Steps} steps";
        Console.WriteLine($"AvDsl demo: pre-training spec {plan.SpecName} ({spec.SourcePath}) for {epochs} of batch {plan.BatchSize} on CPU, seed {plan.Seed}");
        Console.WriteLine($"data: every task's train clips and the unlabelled pool in {CorpusCommand.DefaultRoot}/{DemoCorpus.PretrainManifestFile} (labels unused); fbank features are cached after the first epoch");
        string? runDirectory = null;
        var trained = TrainCommand.Execute(plan, new RunOptions(RunRoot: runs), cancel, finished: run => runDirectory = run.RunDirectory);
        if (trained != ExitCodes.Ok || runDirectory is null) return trained;

        Console.WriteLine();
        Console.WriteLine("linear probes: a softmax classifier on the frozen encoder's clip embeddings, train split → test split");
        var rows = new List<(string Task, EvaluationReport Pretrained, EvaluationReport Random)>();
        foreach (var task in DemoCorpus.Tasks)
        {
            EvaluationReport? pretrained = null, random = null;
            var quiet = TextWriter.Null;
            var code = EvalCommand.Run(runDirectory, task, EvaluationProbe.Linear, random: false, seed, CorpusCommand.DefaultRoot, null, null, quiet, Console.Error, cancel, reported: r => pretrained = r);
            if (code != ExitCodes.Ok) return code;
            code = EvalCommand.Run(runDirectory, task, EvaluationProbe.Linear, random: true, seed, CorpusCommand.DefaultRoot, null, null, quiet, Console.Error, cancel, reported: r => random = r);
            if (code != ExitCodes.Ok) return code;
            rows.Add((task, pretrained!, random!));
        }

        var table = new Table().AddColumns("task", "classes", "test clips", $"{plan.SpecName} pre-trained", "random init", "chance");
        static string Percent(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        foreach (var (task, pretrained, random) in rows)
            table.AddRow(task, pretrained.Classes.Count.ToString(CultureInfo.InvariantCulture), pretrained.TestClips.ToString(CultureInfo.InvariantCulture),
                Percent(pretrained.Accuracy), Percent(random.Accuracy), Percent(pretrained.Chance));
        AnsiConsole.Write(table);
        Console.WriteLine($"run directory: {runDirectory} (spec.avml, metrics.jsonl, checkpoint-final.safetensors, eval/*.json)");
        Console.WriteLine($"next: ./avdsl eval {runDirectory} --task keywords --probe finetune   (fine-tune instead of probing)");
        return ExitCodes.Ok;
    }
}
