using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Specs;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl check &lt;spec.avml&gt;...</c>: every diagnostic, rustc-style; fails on any error. <c>--shapes</c> then
/// lists each spec's values with their inferred shapes.</summary>
public sealed class CheckCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string[]> files = new("files") { Description = "The .avml files to check.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> shapes = new("--shapes") { Description = "Also print every input's and flow value's inferred shape, spec by spec." };
    private readonly Option<bool> withVariants = new("--variants") { Description = "With --shapes: the sweep variants' shapes too." };

    public CheckCommand(CommandOutput output)
    {
        this.output = output;
        Syntax = new Command("check", "Check specs against the grammar and the component catalog; print every error with its location.") { files, shapes, withVariants };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) =>
        Run(parsed.GetValue(files) ?? [], parsed.GetValue(shapes), parsed.GetValue(withVariants));

    /// <param name="listShapes">After a file's diagnostics, each spec's values with their shapes (<see cref="FlowShapeListing"/>).</param>
    public CommandResult Run(IReadOnlyList<string> paths, bool listShapes = false, bool listVariants = false)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        foreach (var path in missing) output.Error.WriteLine($"avdsl check: no such file: {path}");
        if (missing.Count > 0) return CommandResult.UsageError;

        int errors = 0, warnings = 0;
        foreach (var path in paths)
        {
            var file = SpecFiles.Compile(path);
            foreach (var diagnostic in file.Diagnostics)
            {
                output.Out.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
                if (diagnostic.IsError) errors++;
                else warnings++;
            }
            if (!file.HasErrors) output.Out.WriteLine($"ok: {path}{Contents(file)}");
            if (listShapes) WriteShapes(file, listVariants);
        }
        if (errors > 0 || warnings > 0)
        {
            output.Out.WriteLine($"{Plural(errors, "error")}, {Plural(warnings, "warning")} in {Plural(paths.Count, "file")}");
        }
        return errors > 0 ? CommandResult.Failed : CommandResult.Ok;
    }

    private void WriteShapes(SpecFile file, bool listVariants)
    {
        foreach (var spec in file.Specs.Where(s => listVariants || s.Variant is null))
        {
            output.Out.WriteLine();
            FlowShapeListing.Write(output.Out, file, spec, SpecCatalog.Components);
        }
        var skipped = listVariants ? 0 : file.Specs.Count(s => s.Variant is not null);
        if (skipped == 0) return;
        output.Out.WriteLine();
        output.Out.WriteLine($"{Plural(skipped, "sweep variant")} not listed; `--variants` lists them too");
    }

    /// <summary>" (Eat, EatTiny; 3 sweep variants)", " (2 sweep variants)", or nothing for a file of imports alone.</summary>
    private static string Contents(Dsl.SpecFile file)
    {
        var parts = new List<string>();
        var specs = file.Specs.Where(s => s.Variant is null).Select(s => s.Name).ToList();
        if (specs.Count > 0) parts.Add(string.Join(", ", specs));
        var variants = file.Specs.Count(s => s.Variant is not null);
        if (variants > 0) parts.Add(Plural(variants, "sweep variant"));
        return parts.Count == 0 ? "" : $" ({string.Join("; ", parts)})";
    }

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
