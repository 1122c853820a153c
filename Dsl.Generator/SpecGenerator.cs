using System;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
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
        var declared = context.SyntaxProvider
            .ForAttributeWithMetadataName(CatalogReader.ComponentAttribute, (node, _) => true,
                (ctx, _) => CatalogReader.ReadDeclared(new[] { (INamedTypeSymbol)ctx.TargetSymbol }, ctx.SemanticModel.Compilation))
            .Collect()
            .Select((catalogs, _) => catalogs.Aggregate(ComponentCatalog.Empty, CatalogReader.Merge));
        var catalog = referenced.Combine(declared).Select((pair, _) => CatalogReader.Merge(pair.Left, pair.Right));

        var files = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(".avml", StringComparison.OrdinalIgnoreCase))
            .Select((file, cancel) => (Path: file.Path, Text: file.GetText(cancel)?.ToString() ?? string.Empty));

        // Imports read other .avml AdditionalFiles; the texts are equatable, so unchanged inputs still hit the cache.
        var texts = files.Collect().Select((all, _) => all.Select(f => new ImportableFile(SpecCompiler.Normalize(f.Path), f.Text)).ToEquatableArray());
        var compiled = files.Combine(catalog).Combine(texts)
            .Select((pair, _) => CompiledFile.From(pair.Left.Left.Path, pair.Left.Left.Text, pair.Left.Right, pair.Right));

        context.RegisterSourceOutput(compiled.Combine(catalog), (output, pair) =>
        {
            var (file, components) = pair;
            foreach (var diagnostic in file.Diagnostics) output.ReportDiagnostic(RoslynDiagnostics.From(diagnostic));
            foreach (var spec in file.Specs)
            {
                output.AddSource($"{spec.Name}.avml.g.cs", SpecEmitter.Emit(spec, components, file.Hash));
            }
        });

        var registry = compiled.Select((file, _) => file.Specs.Select(s => s.Name).ToEquatableArray()).Collect();
        var parserReferenced = context.CompilationProvider.Select((c, _) => c.GetTypeByMetadataName("AvDsl.Dsl.Catalog.ComponentCatalog") is not null);
        context.RegisterSourceOutput(registry.Combine(catalog).Combine(parserReferenced), (output, pair) =>
        {
            var names = pair.Left.Left.SelectMany(n => n).OrderBy(n => n, StringComparer.Ordinal).ToList();
            output.AddSource("CompiledSpecs.g.cs", RegistryEmitter.Emit(names));
            if (pair.Right) output.AddSource("SpecCatalog.g.cs", CatalogEmitter.Emit(pair.Left.Right));
        });
    }
}

/// <summary>An .avml AdditionalFile another spec file may import.</summary>
internal sealed record ImportableFile(string Path, string Text);

/// <summary>One .avml file after binding: equatable, free of Roslyn symbols, so the pipeline can cache it.</summary>
internal sealed record CompiledFile(string Path, string Hash, EquatableArray<Spec> Specs, EquatableArray<Dsl.Diagnostics.Diagnostic> Diagnostics)
{
    public static CompiledFile From(string path, string text, ComponentCatalog catalog, EquatableArray<ImportableFile> files)
    {
        var result = SpecCompiler.Compile(path, text, catalog, import => files.FirstOrDefault(f => f.Path == import)?.Text);
        return new CompiledFile(path, HashOf(text), result.Specs.ToEquatableArray(), result.Diagnostics.ToEquatableArray());
    }

    public static string HashOf(string text)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        return string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
