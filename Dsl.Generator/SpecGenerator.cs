using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AvDsl.Dsl;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;
using Microsoft.CodeAnalysis;

namespace AvDsl.Generator;

/// <summary>Compiles every <c>.avml</c> AdditionalFile into typed C#. Each file is parsed and bound on its own
/// (against the equatable catalog) before anything is collected, so editing one spec regenerates that spec alone.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var referenced = context.CompilationProvider.Select((compilation, cancel) => CatalogReader.ReadReferenced(compilation, cancel));
        // A user's own components, schedules, feature kinds, optimizers and data sources, found as the Runtime's are.
        var declared = CatalogReader.VocabularyAttributes
            .Select(attribute => context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute, (node, _) => true, (ctx, _) => CatalogReader.ReadDeclared(new[] { ctx.TargetSymbol }))
                .Collect()
                .Select((catalogs, _) => catalogs.Aggregate(ComponentCatalog.Empty, CatalogReader.Merge)))
            .Aggregate((a, b) => a.Combine(b).Select((pair, _) => CatalogReader.Merge(pair.Left, pair.Right)));
        var catalog = referenced.Combine(declared).Select((pair, _) => CatalogReader.Merge(pair.Left, pair.Right));

        var files = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(".avml", StringComparison.OrdinalIgnoreCase))
            .Select((file, cancel) => (Path: file.Path, Text: file.GetText(cancel)?.ToString() ?? string.Empty));

        // Each file is paired with the files it imports (transitively) and nothing else, so that editing one
        // spec re-binds only that spec and the specs that import it.
        var texts = files.Collect().Select((all, _) => all.Select(f => new ImportableFile(SpecCompiler.Normalize(f.Path), f.Text)).ToEquatableArray());
        var withImports = files.Combine(texts).Select((pair, _) => new SpecSource(pair.Left.Path, pair.Left.Text, ImportableFile.Closure(pair.Left.Path, pair.Left.Text, pair.Right)));
        var compiled = withImports.Combine(catalog)
            .Select((pair, _) => CompiledFile.From(pair.Left.Path, pair.Left.Text, pair.Right, pair.Left.Imports))
            .WithTrackingName(TrackingNames.Compiled);

        // Paths in generated code are relative to AvDslSpecRoot (default: the project folder), so that the
        // output is the same on every machine and in every checkout.
        var root = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
            options.GlobalOptions.TryGetValue("build_property.AvDslSpecRoot", out var specRoot) && specRoot.Length > 0 ? SourceRoot.Of(specRoot)
            : options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var project) && project.Length > 0 ? SourceRoot.Of(project)
            : SourceRoot.Of(string.Empty));

        context.RegisterSourceOutput(compiled.Combine(catalog).Combine(root), (output, pair) =>
        {
            var ((file, components), sourceRoot) = pair;
            foreach (var diagnostic in file.Diagnostics) output.ReportDiagnostic(RoslynDiagnostics.From(diagnostic));
            foreach (var spec in file.Specs)
            {
                var baseSpec = spec.Variant is { } variant ? file.Specs.Concat(file.Bases).FirstOrDefault(s => s.Name == variant.Base) : null;
                output.AddSource($"{spec.Name}.avml.g.cs", SpecEmitter.Emit(spec, components, sourceRoot, baseSpec));
            }
        });

        // The content hash lives in the registry alone, so an edit that changes no meaning leaves each spec's source as it was.
        var registry = compiled.Select((file, _) => file.Specs.Select(s => new RegistryEntry(s.Name, file.Hash)).ToEquatableArray()).Collect();
        var parserReferenced = context.CompilationProvider.Select((c, _) => c.GetTypeByMetadataName("AvDsl.Dsl.Catalog.ComponentCatalog") is not null);
        context.RegisterSourceOutput(registry.Combine(catalog).Combine(parserReferenced), (output, pair) =>
        {
            var entries = pair.Left.Left.SelectMany(n => n).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
            output.AddSource("CompiledSpecs.g.cs", RegistryEmitter.Emit(entries));
            if (pair.Right) output.AddSource("SpecCatalog.g.cs", CatalogEmitter.Emit(pair.Left.Right));
        });
    }
}

/// <summary>An .avml AdditionalFile another spec file may import.</summary>
internal sealed record ImportableFile(string Path, string Text)
{
    private static readonly System.Text.RegularExpressions.Regex Import = new(@"^\s*import\s+""([^""]+)""", System.Text.RegularExpressions.RegexOptions.Multiline);

    /// <summary>The files <paramref name="path"/> imports, directly or not. A cheap scan: a commented-out import
    /// only adds a dependency, never a wrong result, since binding reads the real imports.</summary>
    public static EquatableArray<ImportableFile> Closure(string path, string text, EquatableArray<ImportableFile> all)
    {
        var found = new List<ImportableFile>();
        var pending = new Queue<(string Path, string Text)>();
        pending.Enqueue((path, text));
        while (pending.Count > 0)
        {
            var (from, source) = pending.Dequeue();
            var folder = from.Contains("/") ? from.Substring(0, from.LastIndexOf('/') + 1) : string.Empty;
            foreach (System.Text.RegularExpressions.Match match in Import.Matches(source))
            {
                var imported = match.Groups[1].Value;
                var target = SpecCompiler.Normalize(imported.StartsWith("/", StringComparison.Ordinal) ? imported : folder + imported);
                var file = all.FirstOrDefault(f => f.Path == target);
                if (file is null || found.Contains(file)) continue;
                found.Add(file);
                pending.Enqueue((file.Path, file.Text));
            }
        }
        return found.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray();
    }
}

/// <summary>The folder generated code names spec files relative to.</summary>
internal sealed record SourceRoot(string Path)
{
    public static SourceRoot Of(string folder)
    {
        var normalized = SpecCompiler.Normalize(folder);
        return new SourceRoot(normalized.Length == 0 || normalized.EndsWith("/", StringComparison.Ordinal) ? normalized : normalized + "/");
    }

    public string Relative(string path)
    {
        var normalized = SpecCompiler.Normalize(path);
        return Path.Length > 0 && normalized.StartsWith(Path, StringComparison.Ordinal) ? normalized.Substring(Path.Length) : normalized;
    }
}

/// <summary>Names of tracked pipeline steps, for tests that check what a run recomputed.</summary>
public static class TrackingNames
{
    public const string Compiled = "Compiled";
}

/// <summary>A compiled spec as the registry lists it.</summary>
internal sealed record RegistryEntry(string Name, string SourceHash);

/// <summary>A spec file with the texts of the files it imports.</summary>
internal sealed record SpecSource(string Path, string Text, EquatableArray<ImportableFile> Imports);

/// <summary>One .avml file after binding: equatable, free of Roslyn symbols, so the pipeline can cache it.</summary>
/// <param name="Bases">The specs its sweeps vary that an imported file declares, so a point can share their classes.</param>
internal sealed record CompiledFile(string Path, string Hash, EquatableArray<Spec> Specs, EquatableArray<Dsl.Diagnostics.Diagnostic> Diagnostics,
    EquatableArray<Spec> Bases = default)
{
    public static CompiledFile From(string path, string text, ComponentCatalog catalog, EquatableArray<ImportableFile> files)
    {
        string? Resolve(string import) => files.FirstOrDefault(f => f.Path == import)?.Text;
        var result = SpecCompiler.Compile(path, text, catalog, Resolve);
        var missing = result.Specs.Where(s => s.Variant is { } v && result.Specs.All(b => b.Name != v.Base)).Select(s => s.Variant!.Base).Distinct().ToList();
        var bases = missing.Count == 0 ? new List<Spec>() : files
            .SelectMany(f => SpecCompiler.Compile(f.Path, f.Text, catalog, Resolve).Specs)
            .Where(s => missing.Contains(s.Name) && s.Variant is null)
            .ToList();
        return new CompiledFile(path, SpecSourceHash.Of(text), result.Specs.ToEquatableArray(), result.Diagnostics.ToEquatableArray(), bases.ToEquatableArray());
    }
}
