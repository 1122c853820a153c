using System.CommandLine;
using AvDsl.Cli.Commands;
using AvDsl.Cli.InProcess;
using AvDsl.Cli.Shell;
using AvDsl.Specs;

namespace AvDsl.Cli;

/// <summary>The shell edge: builds the command tree over shared services, reports a wrong command line, runs the
/// command and maps its result to the process's exit code.</summary>
public static class Program
{
    public const string Description = "AvDsl: audio-visual self-supervised models from .avml specs, trained on libtorch.";

    public static int Main(string[] args) => Run(args, CommandOutput.Console());

    public static int Run(IReadOnlyList<string> args, CommandOutput output)
    {
        var root = new RootCommand(Description);
        foreach (var command in Commands(output))
        {
            command.Syntax.SetAction((parsed, cancel) => Task.FromResult(ExitCodes.Of(command.Invoke(parsed, cancel))));
            root.Add(command.Syntax);
        }
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            CommandLineErrors.Write(parsed, output.Error);
            return ExitCodes.Of(CommandResult.UsageError);
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output.Out, Error = output.Error });
    }

    private static IEnumerable<ICliCommand> Commands(CommandOutput output)
    {
        var specs = new SpecResolver(CompiledSpecs.All, new InProcessSpecs(SpecAssemblyCache.Default(), output.Error), output.Error, CompiledSpecFolder.Path);
        var corpus = new DemoCorpusFolder(output);
        var train = new TrainCommand(output, specs);
        var eval = new EvalCommand(output, specs);
        // The demo evaluates quietly and prints one table of every evaluation instead.
        var quietEval = new EvalCommand(CommandOutput.Captured(TextWriter.Null, output.Error), specs);
        return
        [
            new DemoCommand(output, specs, corpus, train, quietEval),
            train,
            new CheckCommand(output),
            new FormatCommand(output),
            new VariantsCommand(output),
            new DiffCommand(output),
            new CostCommand(output, specs),
            new ExplainCommand(output),
            new ComponentsCommand(output, SpecCatalog.Components),
            new DescribeCommand(output, SpecCatalog.Components),
            new SpecsCommand(output, specs),
            new CorpusCommand(corpus),
            new FeaturesCommand(output),
            new FeatureStatsCommand(output),
            eval,
            new ReconstructCommand(output, specs),
            new ReproduceCommand(output, specs, train),
            new SweepCommand(output, specs, train),
            new ReportCommand(output, specs),
        ];
    }
}
