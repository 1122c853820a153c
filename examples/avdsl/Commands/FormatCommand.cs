using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Formatting;
using AvDsl.Dsl.Parsing;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl fmt [--check] &lt;files&gt;</c>: rewrite specs in the canonical layout, or with --check only say
/// which would change (and fail).</summary>
public sealed class FormatCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string[]> files = new("files") { Description = "The .avml files to format.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> check = new("--check") { Description = "Change nothing; exit 1 when a file is not formatted." };

    public FormatCommand(CommandOutput output)
    {
        this.output = output;
        Syntax = new Command("fmt", "Format specs in the canonical layout (comments are kept).") { files, check };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(files) ?? [], parsed.GetValue(check));

    /// <param name="checkOnly">Change nothing; fail when a file is not formatted.</param>
    public CommandResult Run(IReadOnlyList<string> paths, bool checkOnly)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        foreach (var path in missing) output.Error.WriteLine($"avdsl fmt: no such file: {path}");
        if (missing.Count > 0) return CommandResult.UsageError;

        var failed = false;
        foreach (var path in paths)
        {
            var text = File.ReadAllText(path);
            var syntax = SpecParser.Parse(path, text);
            if (syntax.Diagnostics.Count > 0)
            {
                foreach (var diagnostic in syntax.Diagnostics) output.Out.WriteLine(DiagnosticRenderer.Render(diagnostic, syntax.File));
                output.Out.WriteLine($"not formatted: {path} has syntax errors");
                failed = true;
                continue;
            }
            var formatted = SpecFormatter.Format(syntax);
            if (formatted == text) continue;
            if (checkOnly)
            {
                output.Out.WriteLine($"would reformat: {path}");
                failed = true;
                continue;
            }
            // Written beside the original and renamed over it: an interrupted run never leaves half a file.
            AvDsl.Runtime.IO.AtomicFile.WriteText(path, formatted);
            output.Out.WriteLine($"formatted: {path}");
        }
        return failed ? CommandResult.Failed : CommandResult.Ok;
    }
}
