using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Binding;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Parsing;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl;

/// <summary>The outcome of reading one .avml file: the specs that bound cleanly and every diagnostic.</summary>
public sealed record SpecFile(SourceFile Source, IReadOnlyList<Spec> Specs, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>Parse then bind: the single entry point the generator, the CLI and the tests use.</summary>
public static class SpecCompiler
{
    public static SpecFile Compile(string path, string text, ComponentCatalog catalog)
    {
        var source = new SourceFile(path, text);
        var syntax = SpecParser.Parse(source);
        var diagnostics = new List<Diagnostic>(syntax.Diagnostics);
        var specs = new List<Spec>();
        var names = new HashSet<string>();
        foreach (var specSyntax in syntax.Specs)
        {
            // A spec with a syntax error is not bound: its missing statements would only cause echoes.
            if (syntax.Diagnostics.Any(d => d.Span.Start >= specSyntax.Span.Start && d.Span.Start <= specSyntax.Span.End)) continue;
            if (!names.Add(specSyntax.Name))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticCodes.Duplicate, source, specSyntax.NameSpan, $"spec `{specSyntax.Name}` is declared twice in this file", "rename one"));
                continue;
            }
            var (spec, specDiagnostics) = SpecBinder.Bind(specSyntax, source, catalog);
            diagnostics.AddRange(specDiagnostics);
            if (spec is not null) specs.Add(spec);
        }
        // A syntax error leaves the binder guessing; keep the model only when the whole file is clean.
        if (syntax.Diagnostics.Count > 0) specs.Clear();
        return new SpecFile(source, specs, diagnostics.OrderBy(d => d.Span.Start).ToList());
    }
}
