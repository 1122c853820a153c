using System.CommandLine;
using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Demo;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Training;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl demo</c>: the whole story on an embedded default — build the demo corpus on first use, pre-train
/// EAT-tiny (specs/eat-tiny.avml) on it, then linear-probe the trained encoder and a randomly initialised twin on
/// each of the corpus' tasks and print them side by side.</summary>
public sealed class DemoCommand : ICliCommand
{
    public const string DefaultSpec = "EatTiny";

    /// <summary>The seed of the random-init twin and of the probes; pre-training uses the spec's own seed.</summary>
    public const long ProbeSeed = 0;

    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly DemoCorpusFolder corpus;
    private readonly TrainCommand train;
    private readonly EvalCommand eval;
    private readonly Option<string> runs = new("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };

    /// <param name="eval">An evaluation that writes no progress: the demo prints one table of them all.</param>
    public DemoCommand(CommandOutput output, SpecResolver specs, DemoCorpusFolder corpus, TrainCommand train, EvalCommand eval)
    {
        this.output = output;
        this.specs = specs;
        this.corpus = corpus;
        this.train = train;
        this.eval = eval;
        Syntax = new Command("demo",
            $"Build the demo corpus in {DemoCorpusFolder.DefaultRoot} on first use, pre-train EAT-tiny (specs/eat-tiny.avml) on it for a few minutes, " +
            "then linear-probe the trained encoder and a random-init twin on each task and print the table.")
        {
            runs,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(runs)!, cancel);

    public CommandResult Run(string runRoot, CancellationToken cancel)
    {
        // Looked up by name, so a broken spec is reported as a spec error, not a C# one.
        var spec = specs.Named(DefaultSpec);
        if (spec is null)
        {
            output.Error.WriteLine($"avdsl demo: spec {DefaultSpec} is not compiled into this build; run ./avdsl check specs/eat-tiny.avml to see why");
            return CommandResult.Failed;
        }
        // The corpus comes first so a missing synthesizer is reported before training starts.
        var built = corpus.Ensure(DemoCorpusFolder.DefaultRoot, DemoCorpusFolder.DefaultSeed, soundFont: null, cancel);
        if (!built.Succeeded) return built;

        var plan = spec.Plan();
        var summary = PlanSummary.Of(plan);
        var length = summary.Epochs is { } e ? $"{e} epochs" : $"{summary.Steps} steps";
        output.Out.WriteLine($"AvDsl demo: pre-training spec {summary.SpecName} ({spec.SourcePath}) for {length} of batch {summary.BatchSize} on CPU, seed {summary.Seed}");
        output.Out.WriteLine($"data: every task's train clips and the unlabelled pool in {DemoCorpusFolder.PretrainManifest(DemoCorpusFolder.DefaultRoot)} (labels unused); fbank features are cached after the first epoch");
        var trained = train.Train(plan, new RunOptions(RunRoot: runRoot), cancel);
        if (trained.Run is not { } run) return trained;

        output.Out.WriteLine();
        output.Out.WriteLine("linear probes: a softmax classifier on the frozen encoder's clip embeddings, train split → test split");
        var rows = new List<(string Task, EvaluationReport Pretrained, EvaluationReport Random)>();
        foreach (var task in DemoCorpusFolder.Tasks)
        {
            var options = new EvalOptions(run.RunDirectory, task, EvaluationProbe.Linear, Random: false, ProbeSeed, DemoCorpusFolder.DefaultRoot);
            var pretrained = eval.Run(options, cancel);
            if (pretrained.Report is null) return pretrained;
            var random = eval.Run(options with { Random = true }, cancel);
            if (random.Report is null) return random;
            rows.Add((task, pretrained.Report, random.Report));
        }

        var table = new Table().AddColumns("task", "classes", "test clips", $"{summary.SpecName} pre-trained", "random init", "chance");
        static string Percent(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        foreach (var (task, pretrained, random) in rows)
            table.AddRow(task, pretrained.Classes.Count.ToString(CultureInfo.InvariantCulture), pretrained.TestClips.ToString(CultureInfo.InvariantCulture),
                Percent(pretrained.Accuracy), Percent(random.Accuracy), Percent(pretrained.Chance));
        output.Ansi.Write(table);
        output.Out.WriteLine($"run directory: {run.RunDirectory} (spec.avml, metrics.jsonl, checkpoint-final.safetensors, eval/*.json)");
        output.Out.WriteLine($"next: ./avdsl eval {run.RunDirectory} --task keywords --probe finetune   (fine-tune instead of probing)");
        return CommandResult.Ok;
    }
}
