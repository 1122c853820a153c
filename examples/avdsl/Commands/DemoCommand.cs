using System.CommandLine;
using AvDsl.Runtime.Training;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl demo</c>: the main job on an embedded default — train specs/tiny-mae.avml and show its loss falling.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "The folder run directories are created in.", DefaultValueFactory = _ => "runs" };
        var command = new Command("demo", "Train the tiny masked autoencoder (specs/tiny-mae.avml) on synthetic spectrograms and show its loss falling.") { runs };
        command.SetAction((result, cancel) =>
        {
            Console.WriteLine($"AvDsl demo: spec {TinyMaeSpec.Name} ({Path.GetFileName(TinyMaeSpec.SourcePath)}), {TinyMaeConfig.Default.Train.Steps} steps of batch {TinyMaeConfig.Default.Train.Batch} on CPU");
            Console.WriteLine("data: synthetic spectrogram-like patterns generated from the seed (real media arrive with the demo corpus)");
            return Task.FromResult(TrainCommand.Execute(TinyMaeSpec.Plan(), new RunOptions(RunRoot: result.GetValue(runs)!), cancel));
        });
        return command;
    }
}
