using System.CommandLine;
using AvDsl.Dsl.Diagnostics;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl explain AV0003</c>: the longer explanation of a diagnostic code.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var code = new Argument<string>("code") { Description = "A diagnostic code such as AV0003." };
        var command = new Command("explain", "Explain a diagnostic code.") { code };
        command.SetAction(result =>
        {
            var requested = result.GetValue(code) ?? string.Empty;
            var descriptor = DiagnosticCodes.Find(requested);
            if (descriptor is null)
            {
                Console.Error.WriteLine($"avdsl explain: no diagnostic `{requested}`; the codes are {string.Join(", ", DiagnosticCodes.All.Select(d => d.Code))}");
                return ExitCodes.Usage;
            }
            Console.WriteLine($"{descriptor.Code} ({descriptor.Severity.ToString().ToLowerInvariant()}): {descriptor.Title}");
            Console.WriteLine();
            Console.WriteLine(descriptor.Explanation);
            return ExitCodes.Ok;
        });
        return command;
    }
}
