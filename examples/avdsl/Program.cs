using System.CommandLine;
using AvDsl.Cli.Commands;

namespace AvDsl.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("AvDsl: audio-visual self-supervised models from .avml specs, trained on libtorch.")
        {
            DemoCommand.Create(),
            TrainCommand.Create(),
            CheckCommand.Create(),
            FormatCommand.Create(),
            VariantsCommand.Create(),
            DiffCommand.Create(),
            CostCommand.Create(),
            ExplainCommand.Create(),
            SpecsCommand.Create(),
            CorpusCommand.Create(),
            FeaturesCommand.Create(),
            FeatureStatsCommand.Create(),
            EvalCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"avdsl: {error.Message}");
            Console.Error.WriteLine("Run `avdsl --help` for usage.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke();
    }
}
