using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl.Diagnostics;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl variants &lt;spec.avml&gt;</c>: every sweep point of the file, its stable name and its settings.</summary>
public sealed class VariantsCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string> file = new("file") { Description = "A spec file holding sweeps." };

    public VariantsCommand(CommandOutput output)
    {
        this.output = output;
        Syntax = new Command("variants", "List the variants of the sweeps in a spec file: name and settings of each point.") { file };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(file)!);

    public CommandResult Run(string path)
    {
        if (!File.Exists(path))
        {
            output.Error.WriteLine($"avdsl variants: no such file: {path}");
            return CommandResult.UsageError;
        }
        var compiled = SpecFiles.Compile(path);
        foreach (var diagnostic in compiled.Diagnostics) output.Out.WriteLine(DiagnosticRenderer.Render(diagnostic, compiled.FileOf(diagnostic)));
        if (compiled.HasErrors) return CommandResult.Failed;
        var variants = compiled.Specs.Where(s => s.Variant is not null).ToList();
        if (variants.Count == 0)
        {
            output.Out.WriteLine($"{path} has no sweeps");
            return CommandResult.Ok;
        }
        foreach (var sweep in variants.GroupBy(v => v.Variant!.Sweep))
        {
            output.Out.WriteLine($"sweep {sweep.Key} of {sweep.First().Variant!.Base}: {sweep.Count()} variant{(sweep.Count() == 1 ? "" : "s")}");
            var width = sweep.Max(v => v.Name.Length);
            foreach (var variant in sweep)
            {
                output.Out.WriteLine($"  {variant.Name.PadRight(width)}  {string.Join("  ", variant.Variant!.Point.Select(p => $"{p.Path}={p.Value}"))}");
            }
        }
        return CommandResult.Ok;
    }
}
