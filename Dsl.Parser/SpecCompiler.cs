using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Binding;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Parsing;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl;

/// <summary>The outcome of reading one .avml file: its specs and sweep variants that bound cleanly, and every
/// diagnostic, located in whichever of the file and its imports it concerns.</summary>
public sealed record SpecFile(SourceSet Sources, IReadOnlyList<Spec> Specs, IReadOnlyList<Diagnostic> Diagnostics)
{
    public SourceFile Source => Sources.Files[0];

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public SourceFile FileOf(Diagnostic diagnostic) => Sources.FileOf(diagnostic.Span.Start);
}

/// <summary>Parse, compose, bind: the single entry point the generator, the CLI and the tests use.</summary>
public static class SpecCompiler
{
    /// <param name="readFile">Reads an imported file by its path (relative paths are resolved against the importing
    /// file's folder); null when the file does not exist. Without it, imports are reported as unavailable.</param>
    public static SpecFile Compile(string path, string text, ComponentCatalog catalog, Func<string, string?>? readFile = null)
    {
        var sources = new SourceSet();
        var main = SpecParser.Parse(sources.Add(path, text));
        var diagnostics = new List<Diagnostic>(main.Diagnostics);
        var table = new Dictionary<string, SpecSyntax>(StringComparer.Ordinal);
        LoadImports(main, sources, readFile, table, diagnostics, new HashSet<string>(StringComparer.Ordinal) { Normalize(path) });

        var clean = new List<SpecSyntax>();
        foreach (var spec in main.Specs)
        {
            if (table.ContainsKey(spec.Name))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Duplicate, main.File, spec.NameSpan, $"spec `{spec.Name}` is declared twice", "rename one"));
                continue;
            }
            table[spec.Name] = spec;
            // A spec with a syntax error is not bound: its missing statements would only cause echoes.
            if (!HasSyntaxError(main, spec.Span)) clean.Add(spec);
        }

        var composer = new SpecComposer(sources, table, diagnostics);
        var visible = new VisibleSpecs(table, composer.Compose);
        var causes = new ErrorCauses(sources, name =>
            table.TryGetValue(name, out var syntax) && composer.Compose(syntax) is { } composed ? SpecBinder.Bind(composed, sources, catalog, specs: visible).Diagnostics : null);
        var specs = new List<Spec>();
        void Bind(SpecSyntax composed, SpecVariant? variant, Func<IReadOnlyList<Diagnostic>, IReadOnlyList<Diagnostic>> attribute)
        {
            var (spec, found) = SpecBinder.Bind(composed, sources, catalog, variant, visible);
            diagnostics.AddRange(attribute(found));
            if (spec is not null) specs.Add(spec);
        }
        foreach (var spec in clean)
        {
            var composed = composer.Compose(spec);
            if (composed is null) continue;
            Bind(composed, null, found => spec.Extends is { } parent
                ? causes.Attribute(found, parent, $"spec `{spec.Name}`", spec.Span, ErrorCauses.Of(spec), prefixOwn: false)
                : found);
        }
        foreach (var sweep in main.Sweeps.Where(s => !HasSyntaxError(main, s.Span)))
        {
            if (table.ContainsKey(sweep.Name) || main.Sweeps.Count(s => s.Name == sweep.Name) > 1)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Duplicate, main.File, sweep.NameSpan, $"`{sweep.Name}` is declared twice", "rename the sweep"));
                continue;
            }
            foreach (var variant in composer.Variants(sweep).ToList())
            {
                Bind(variant.Syntax, variant.Variant, found => causes.Attribute(found, sweep.Of,
                    $"variant `{variant.Syntax.Name}` ({string.Join(", ", variant.Variant!.Point.Select(p => $"{p.Path}={p.Value}"))})", sweep.Span, variant.Causes, prefixOwn: true));
            }
        }

        // A syntax error leaves the binder guessing; keep the models only when the whole file is clean.
        if (main.Diagnostics.Count > 0) specs.Clear();
        // A base spec's problem shows once, not once per spec or variant built on it.
        var unique = diagnostics.Distinct().OrderBy(d => d.Span.Start).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
        return new SpecFile(sources, specs, unique);
    }

    private static bool HasSyntaxError(SpecFileSyntax file, TextSpan span) =>
        file.Diagnostics.Any(d => d.Span.Start >= span.Start && d.Span.Start <= span.End);

    private static void LoadImports(SpecFileSyntax file, SourceSet sources, Func<string, string?>? readFile,
        Dictionary<string, SpecSyntax> table, List<Diagnostic> diagnostics, HashSet<string> loaded)
    {
        foreach (var import in file.Imports)
        {
            var path = Normalize(Combine(Directory(file.File.Path), import.Path.Value));
            if (!loaded.Add(path)) continue;
            var text = readFile?.Invoke(path);
            if (text is null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Import, file.File, import.Path.Span,
                    readFile is null ? "imports are not available here" : $"cannot read `{path}`",
                    "paths are relative to the importing file"));
                continue;
            }
            var imported = SpecParser.Parse(sources.Add(path, text));
            if (imported.Diagnostics.Count > 0)
            {
                var first = imported.Diagnostics[0];
                diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Import, file.File, import.Path.Span,
                    $"`{path}` has errors: {first.Line}:{first.Column}: {first.Message}", $"run `avdsl check {path}`"));
                continue;
            }
            LoadImports(imported, sources, readFile, table, diagnostics, loaded);
            foreach (var spec in imported.Specs)
            {
                if (table.ContainsKey(spec.Name))
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Duplicate, file.File, import.Path.Span,
                        $"`{path}` declares spec `{spec.Name}` again", "spec names must be unique across imported files"));
                    continue;
                }
                table[spec.Name] = spec;
            }
        }
    }

    private static string Directory(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? string.Empty : path.Substring(0, slash);
    }

    private static string Combine(string directory, string relative) =>
        relative.StartsWith("/", StringComparison.Ordinal) || directory.Length == 0 ? relative : directory + "/" + relative;

    /// <summary>Resolves "." and ".." without touching the file system (the generator may not).</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part == "." || (part.Length == 0 && parts.Count > 0)) continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != ".." && parts[parts.Count - 1].Length > 0) parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join("/", parts);
    }
}
