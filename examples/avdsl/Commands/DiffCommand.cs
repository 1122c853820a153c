using System.CommandLine;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl diff a.avml[:Spec] b.avml[:Spec]</c>: the semantic difference of two resolved specs.</summary>
public static class DiffCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("before") { Description = "A spec file, optionally with :SpecName (needed when the file holds several specs)." };
        var second = new Argument<string>("after") { Description = "The other spec file, optionally with :SpecName." };
        var command = new Command("diff", "Show every setting that differs between two resolved specs (after extends, overrides and defaults).") { first, second };
        command.SetAction(result => Run(result.GetValue(first)!, result.GetValue(second)!, Console.Out));
        return command;
    }

    public static int Run(string before, string after, TextWriter output)
    {
        var a = Load(before);
        var b = Load(after);
        if (a is null || b is null) return ExitCodes.Failed;
        var changes = SpecDiff.Compare(a, b);
        output.WriteLine($"--- {a.Name} ({a.Path})");
        output.WriteLine($"+++ {b.Name} ({b.Path})");
        foreach (var change in changes) output.WriteLine(change);
        output.WriteLine(changes.Count == 0 ? "no differences" : $"{changes.Count} difference{(changes.Count == 1 ? "" : "s")}");
        return ExitCodes.Ok;
    }

    /// <summary>The spec named by "path[:Spec]", or null with the reason printed.</summary>
    private static Spec? Load(string reference)
    {
        var colon = reference.LastIndexOf(':');
        var path = colon > 0 && !File.Exists(reference) ? reference[..colon] : reference;
        var name = colon > 0 && !File.Exists(reference) ? reference[(colon + 1)..] : null;
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"avdsl diff: no such file: {path}");
            return null;
        }
        var file = SpecFiles.Compile(path);
        if (file.HasErrors)
        {
            foreach (var diagnostic in file.Diagnostics.Where(d => d.IsError)) Console.Error.WriteLine(DiagnosticRenderer.Render(diagnostic, file.FileOf(diagnostic)));
            return null;
        }
        var candidates = name is null ? file.Specs.Where(s => s.Variant is null).ToList() : file.Specs.Where(s => s.Name == name).ToList();
        if (candidates.Count == 1) return candidates[0];
        Console.Error.WriteLine(name is null
            ? $"avdsl diff: {path} holds {candidates.Count} specs ({string.Join(", ", candidates.Select(s => s.Name))}); name one as {path}:<Spec>"
            : $"avdsl diff: {path} has no spec or variant `{name}`; it has {string.Join(", ", file.Specs.Select(s => s.Name))}");
        return null;
    }
}
