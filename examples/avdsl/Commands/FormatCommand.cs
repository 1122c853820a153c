using System.CommandLine;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Formatting;
using AvDsl.Dsl.Parsing;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl fmt [--check] &lt;files&gt;</c>: rewrite specs in the canonical layout, or with --check only say
/// which would change (exit 1).</summary>
public static class FormatCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "The .avml files to format.", Arity = ArgumentArity.OneOrMore };
        var check = new Option<bool>("--check") { Description = "Change nothing; exit 1 when a file is not formatted." };
        var command = new Command("fmt", "Format specs in the canonical layout (comments are kept).") { files, check };
        command.SetAction(result => Run(result.GetValue(files) ?? Array.Empty<string>(), result.GetValue(check), Console.Out));
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, bool check, TextWriter output)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        foreach (var path in missing) Console.Error.WriteLine($"avdsl fmt: no such file: {path}");
        if (missing.Count > 0) return ExitCodes.Usage;

        var failed = false;
        foreach (var path in paths)
        {
            var text = File.ReadAllText(path);
            var syntax = SpecParser.Parse(path, text);
            if (syntax.Diagnostics.Count > 0)
            {
                foreach (var diagnostic in syntax.Diagnostics) output.WriteLine(DiagnosticRenderer.Render(diagnostic, syntax.File));
                output.WriteLine($"not formatted: {path} has syntax errors");
                failed = true;
                continue;
            }
            var formatted = SpecFormatter.Format(syntax);
            if (formatted == text) continue;
            if (check)
            {
                output.WriteLine($"would reformat: {path}");
                failed = true;
                continue;
            }
            // Written beside the original and renamed over it: an interrupted run never leaves half a file.
            var temporary = path + ".fmt.tmp";
            File.WriteAllText(temporary, formatted);
            File.Move(temporary, path, overwrite: true);
            output.WriteLine($"formatted: {path}");
        }
        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
