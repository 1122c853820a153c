using System.CommandLine;
using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Demo;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Evaluation;
using AvDsl.Runtime.Training;
using Spectre.Console;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl demo [eat|mavil]</c>: the whole story on an embedded default — build the demo corpus on first use,
/// pre-train EAT-tiny (specs/eat-tiny.avml) or MAViL-tiny (specs/mavil-tiny.avml, video and sound) on it, then evaluate the
/// trained encoder next to a randomly initialised twin: audio↔video retrieval (MAViL) and linear probes on each of the
/// corpus' tasks, printed side by side.</summary>
public sealed class DemoCommand : ICliCommand
{
    /// <summary>The systems the demo runs, by the name on the command line.</summary>
    public static readonly IReadOnlyDictionary<string, (string Spec, string File)> Systems = new Dictionary<string, (string, string)>
    {
        ["eat"] = ("EatTiny", "specs/eat-tiny.avml"),
        ["mavil"] = ("MavilTiny", "specs/mavil-tiny.avml"),
    };

    /// <summary>The seed of the random-init twin and of the probes; pre-training uses the spec's own seed.</summary>
    public const long ProbeSeed = 0;

    private readonly CommandOutput output;
    private readonly SpecResolver specs;
    private readonly DemoCorpusFolder corpus;
    private readonly TrainCommand train;
    private readonly EvalCommand eval;
    private readonly Argument<string> system = new("system")
    {
        Description = "mavil: MAViL-tiny on video and sound, with retrieval (the default); eat: EAT-tiny, audio only.",
        DefaultValueFactory = _ => "mavil",
    };
    private readonly Option<string> runs = new("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };

    /// <param name="eval">An evaluation that writes no progress: the demo prints one table of them all.</param>
    public DemoCommand(CommandOutput output, SpecResolver specs, DemoCorpusFolder corpus, TrainCommand train, EvalCommand eval)
    {
        this.output = output;
        this.specs = specs;
        this.corpus = corpus;
        this.train = train;
        this.eval = eval;
        system.AcceptOnlyFromAmong([.. Systems.Keys]);
        Syntax = new Command("demo",
            $"Build the demo corpus in {DemoCorpusFolder.DefaultRoot} on first use, pre-train MAViL-tiny (or EAT-tiny: `demo eat`) on it for a few minutes, " +
            "then evaluate the trained encoder and a random-init twin (audio-video retrieval for MAViL, linear probes on each task) and print the tables.")
        {
            system, runs,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(runs)!, cancel, parsed.GetValue(system)!);

    public CommandResult Run(string runRoot, CancellationToken cancel, string which = "mavil")
    {
        var (specName, file) = Systems[which];
        // Looked up by name, so a broken spec is reported as a spec error, not a C# one.
        var spec = specs.Named(specName);
        if (spec is null)
        {
            output.Error.WriteLine($"avdsl demo: spec {specName} is not compiled into this build; run ./avdsl check {file} to see why");
            return CommandResult.Failed;
        }
        // The corpus comes first so a missing synthesizer is reported before training starts.
        var built = corpus.Ensure(DemoCorpusFolder.DefaultRoot, DemoCorpusFolder.DefaultSeed, soundFont: null, cancel);
        if (!built.Succeeded) return built;

        var plan = spec.Plan();
        var summary = PlanSummary.Of(plan);
        var length = summary.Epochs is { } e ? $"{e} epochs" : $"{summary.Steps} steps";
        output.Out.WriteLine($"AvDsl demo: pre-training spec {summary.SpecName} ({spec.SourcePath}) for {length} of batch {summary.BatchSize} on CPU, seed {summary.Seed}");
        var streams = plan.Features.Count > 1 ? "fbank and video frames are" : "fbank features are";
        output.Out.WriteLine($"data: every task's train clips and the unlabelled pool in {DemoCorpusFolder.PretrainManifest(DemoCorpusFolder.DefaultRoot)} (labels unused); {streams} cached after the first epoch");
        var trained = train.Train(plan, new RunOptions(RunRoot: runRoot), cancel);
        if (trained.Run is not { } run) return trained;

        if (plan.Retrieval is not null)
        {
            output.Out.WriteLine();
            var retrievals = new List<(string, RetrievalReport, RetrievalReport)>();
            foreach (var task in DemoCorpusFolder.Tasks)
            {
                var retrieved = eval.Run(new EvalOptions(run.RunDirectory, task, Seed: ProbeSeed, Corpus: DemoCorpusFolder.DefaultRoot, Retrieval: true), cancel);
                if (retrieved.Retrieval is null) return retrieved;
                retrievals.Add((task, retrieved.Retrieval, retrieved.RetrievalRandom!));
            }
            RetrievalTable.Write(output, [.. retrievals]);
        }

        output.Out.WriteLine();
        var probed = plan.Embeddings[0];
        output.Out.WriteLine($"linear probes: a softmax classifier on the frozen encoder's clip embeddings ({probed.Name}, from {string.Join(" and ", probed.Inputs)}), train split → test split");
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
