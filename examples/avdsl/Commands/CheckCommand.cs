using System.CommandLine;
using AvDsl.Dsl;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl check &lt;spec.avml&gt;...</c>: every diagnostic, rustc-style; exit 1 on any error.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "The .avml files to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("check", "Check specs against the grammar and the component catalog; print every error with its location.") { files };
        command.SetAction(result => Run(result.GetValue(files) ?? Array.Empty<string>(), Console.Out));
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, TextWriter output)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        foreach (var path in missing) Console.Error.WriteLine($"avdsl check: no such file: {path}");
        if (missing.Count > 0) return ExitCodes.Usage;

        int errors = 0, warnings = 0;
        foreach (var path in paths)
        {
            var file = SpecFiles.Compile(path);
            foreach (var diagnostic in file.Diagnostics)
            {
                output.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
                if (diagnostic.IsError) errors++;
                else warnings++;
            }
            if (!file.HasErrors)
            {
                var variants = file.Specs.Count(s => s.Variant is not null);
                var specs = string.Join(", ", file.Specs.Where(s => s.Variant is null).Select(s => s.Name));
                output.WriteLine($"ok: {path} ({specs}{(variants > 0 ? $"; {variants} sweep variant{(variants == 1 ? "" : "s")}" : "")})");
            }
        }
        if (errors > 0 || warnings > 0)
        {
            output.WriteLine($"{Plural(errors, "error")}, {Plural(warnings, "warning")} in {Plural(paths.Count, "file")}");
        }
        return errors > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
