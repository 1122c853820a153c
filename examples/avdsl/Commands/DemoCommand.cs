using System.CommandLine;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl demo</c>: the main job on an embedded default — build the demo corpus on first use, then train
/// specs/tiny-mae-keywords.avml on its spoken keywords and show the loss falling.</summary>
public static class DemoCommand
{
    public const string DefaultSpec = "TinyMaeKeywords";

    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
        var command = new Command("demo",
            $"Build the demo corpus in {CorpusCommand.DefaultRoot} on first use, then train the tiny masked autoencoder on its spoken keywords (specs/tiny-mae-keywords.avml) and show its loss falling.")
        {
            runs,
        };
        command.SetAction((result, cancel) =>
        {
            // Looked up by name, so a broken spec is reported as a spec error, not a C# one.
            var spec = CompiledSpecs.All.FirstOrDefault(s => s.Name == DefaultSpec);
            if (spec is null)
            {
                Console.Error.WriteLine($"avdsl demo: spec {DefaultSpec} is not compiled into this build; run ./avdsl check specs/tiny-mae-keywords.avml to see why");
                return Task.FromResult(ExitCodes.Failed);
            }
            // The corpus comes first so a missing synthesizer is reported before training starts; the spec reads
            // its keywords manifest from there.
            var built = CorpusCommand.Ensure(CorpusCommand.DefaultRoot, CorpusCommand.DefaultSeed, soundFont: null, cancel);
            if (built != ExitCodes.Ok) return Task.FromResult(built);
            var plan = spec.Plan();
            Console.WriteLine($"AvDsl demo: spec {plan.SpecName} ({spec.SourcePath}), {plan.Steps} steps of batch {plan.BatchSize} on CPU");
            Console.WriteLine($"data: the spoken keywords of the demo corpus ({CorpusCommand.DefaultRoot}/keywords), train split; fbank features are cached after the first epoch");
            return Task.FromResult(TrainCommand.Execute(plan, new RunOptions(RunRoot: result.GetValue(runs)!), cancel));
        });
        return command;
    }
}
