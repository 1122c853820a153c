using System.CommandLine;
using AvDsl.Cli.Shell;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl diff a.avml[:Spec] b.avml[:Spec]</c>: the semantic difference of two resolved specs. Works on any
/// file, compiled into avdsl or not, so it reads spec models rather than compiled specs.</summary>
public sealed class DiffCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string> first = new("before") { Description = "A spec file, optionally with :SpecName (needed when the file holds several specs)." };
    private readonly Argument<string> second = new("after") { Description = "The other spec file, optionally with :SpecName." };

    public DiffCommand(CommandOutput output)
    {
        this.output = output;
        Syntax = new Command("diff", "Show every setting that differs between two resolved specs (after extends, overrides and defaults).") { first, second };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(parsed.GetValue(first)!, parsed.GetValue(second)!);

    public CommandResult Run(string before, string after)
    {
        var a = Load(before);
        var b = Load(after);
        if (a is null || b is null) return CommandResult.Failed;
        var changes = SpecDiff.Compare(a, b);
        output.Out.WriteLine($"--- {a.Name} ({a.Path})");
        output.Out.WriteLine($"+++ {b.Name} ({b.Path})");
        foreach (var change in changes) output.Out.WriteLine(change);
        output.Out.WriteLine(changes.Count == 0 ? "no differences" : $"{changes.Count} difference{(changes.Count == 1 ? "" : "s")}");
        return CommandResult.Ok;
    }

    /// <summary>The spec named by "path[:Spec]", or null with the reason printed.</summary>
    private Spec? Load(string reference)
    {
        var colon = reference.LastIndexOf(':');
        var path = colon > 0 && !File.Exists(reference) ? reference[..colon] : reference;
        var name = colon > 0 && !File.Exists(reference) ? reference[(colon + 1)..] : null;
        if (!File.Exists(path))
        {
            output.Error.WriteLine($"avdsl diff: no such file: {path}");
            return null;
        }
        var file = SpecFiles.Compile(path);
        if (file.HasErrors)
        {
            foreach (var diagnostic in file.Diagnostics.Where(d => d.IsError)) output.Error.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
            return null;
        }
        var candidates = name is null ? file.Specs.Where(s => s.Variant is null).ToList() : file.Specs.Where(s => s.Name == name).ToList();
        if (candidates.Count == 1) return candidates[0];
        output.Error.WriteLine(name is null
            ? $"avdsl diff: {path} holds {candidates.Count} specs ({string.Join(", ", candidates.Select(s => s.Name))}); name one as {path}:<Spec>"
            : $"avdsl diff: {path} has no spec or variant `{name}`; it has {string.Join(", ", file.Specs.Select(s => s.Name))}");
        return null;
    }
}
