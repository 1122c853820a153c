using System.CommandLine;
using AvDsl.Dsl.Diagnostics;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl variants &lt;spec.avml&gt;</c>: every sweep point of the file, its stable name and its settings.</summary>
public static class VariantsCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A spec file holding sweeps." };
        var command = new Command("variants", "List the variants of the sweeps in a spec file: name and settings of each point.") { file };
        command.SetAction(result => Run(result.GetValue(file)!, Console.Out));
        return command;
    }

    public static int Run(string path, TextWriter output)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"avdsl variants: no such file: {path}");
            return ExitCodes.Usage;
        }
        var file = SpecFiles.Compile(path);
        foreach (var diagnostic in file.Diagnostics) output.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
        if (file.HasErrors) return ExitCodes.Failed;
        var variants = file.Specs.Where(s => s.Variant is not null).ToList();
        if (variants.Count == 0)
        {
            output.WriteLine($"{path} has no sweeps");
            return ExitCodes.Ok;
        }
        foreach (var sweep in variants.GroupBy(v => v.Variant!.Sweep))
        {
            output.WriteLine($"sweep {sweep.Key} of {sweep.First().Variant!.Base}: {sweep.Count()} variant{(sweep.Count() == 1 ? "" : "s")}");
            var width = sweep.Max(v => v.Name.Length);
            foreach (var variant in sweep)
            {
                output.WriteLine($"  {variant.Name.PadRight(width)}  {string.Join("  ", variant.Variant!.Point.Select(p => $"{p.Path}={p.Value}"))}");
            }
        }
        return ExitCodes.Ok;
    }
}
