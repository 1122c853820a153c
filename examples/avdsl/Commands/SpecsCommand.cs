using System.CommandLine;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl specs</c>: the specs compiled into this build.</summary>
public static class SpecsCommand
{
    public static Command Create()
    {
        var command = new Command("specs", "List the specs compiled into avdsl.");
        command.SetAction(_ =>
        {
            foreach (var spec in CompiledSpecs.All)
            {
                Console.WriteLine($"{spec.Name,-40} {spec.SourcePath}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
