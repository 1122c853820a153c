using System.CommandLine;
using AvDsl.Cli.Shell;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl specs</c>: the specs compiled into this build.</summary>
public sealed class SpecsCommand(CommandOutput output, SpecResolver specs) : ICliCommand
{
    public Command Syntax { get; } = new("specs", "List the specs compiled into avdsl.");

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel)
    {
        foreach (var spec in specs.Compiled) output.Out.WriteLine($"{spec.Name,-40} {spec.SourcePath}");
        return CommandResult.Ok;
    }
}
