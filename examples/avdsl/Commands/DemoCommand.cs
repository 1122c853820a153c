using System.CommandLine;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl demo</c>: the main job on an embedded default — train specs/tiny-mae.avml and show its loss falling.</summary>
public static class DemoCommand
{
    public const string DefaultSpec = "TinyMae";

    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
        var corpus = new Option<string>("--corpus") { Description = "Where the demo corpus is built on first use and cached.", DefaultValueFactory = _ => CorpusCommand.DefaultRoot };
        var command = new Command("demo", "Build the demo corpus on first use, then train the tiny masked autoencoder (specs/tiny-mae.avml) and show its loss falling.") { runs, corpus };
        command.SetAction((result, cancel) =>
        {
            // Looked up by name, so a broken tiny-mae.avml is reported as a spec error, not a C# one.
            var spec = CompiledSpecs.All.FirstOrDefault(s => s.Name == DefaultSpec);
            if (spec is null)
            {
                Console.Error.WriteLine($"avdsl demo: spec {DefaultSpec} is not compiled into this build; run ./avdsl check specs/tiny-mae.avml to see why");
                return Task.FromResult(ExitCodes.Failed);
            }
            // The corpus comes first so a missing synthesizer is reported before training starts.
            var built = CorpusCommand.Ensure(result.GetValue(corpus)!, CorpusCommand.DefaultSeed, soundFont: null, cancel);
            if (built != ExitCodes.Ok) return Task.FromResult(built);
            var plan = spec.Plan();
            Console.WriteLine($"AvDsl demo: spec {plan.SpecName} ({Path.GetFileName(spec.SourcePath)}), {plan.Steps} steps of batch {plan.BatchSize} on CPU");
            Console.WriteLine("data: synthetic spectrogram-like patterns generated from the seed (training on the demo corpus comes with the spec's data block)");
            return Task.FromResult(TrainCommand.Execute(plan, new RunOptions(RunRoot: result.GetValue(runs)!), cancel));
        });
        return command;
    }
}
