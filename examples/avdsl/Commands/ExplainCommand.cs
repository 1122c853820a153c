using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl.Diagnostics;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl explain AV0003</c>: the longer explanation of a diagnostic code.</summary>
public sealed class ExplainCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string> code = new("code") { Description = "A diagnostic code such as AV0003." };

    public ExplainCommand(CommandOutput output)
    {
        this.output = output;
        Syntax = new Command("explain", "Explain a diagnostic code.") { code };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(code) ?? string.Empty);

    public CommandResult Run(string requested)
    {
        var descriptor = DiagnosticCodes.Find(requested);
        if (descriptor is null)
        {
            output.Error.WriteLine($"avdsl explain: no diagnostic `{requested}`; the codes are {string.Join(", ", DiagnosticCodes.All.Select(d => d.Code))}");
            return CommandResult.UsageError;
        }
        output.Out.WriteLine($"{descriptor.Code} ({descriptor.Severity.ToString().ToLowerInvariant()}): {descriptor.Title}");
        output.Out.WriteLine();
        output.Out.WriteLine(descriptor.Explanation);
        return CommandResult.Ok;
    }
}
