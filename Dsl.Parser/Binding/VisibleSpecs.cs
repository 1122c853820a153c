using System;
using System.Collections.Generic;
using AvDsl.Dsl.Syntax;

namespace AvDsl.Dsl.Binding;

/// <summary>The specs one file can name — its own and those of the files it imports — composed with their bases when
/// asked for. A pretrained teacher's <c>spec:</c> is checked against them.</summary>
public sealed class VisibleSpecs
{
    private readonly IReadOnlyDictionary<string, SpecSyntax> _specs;
    private readonly Func<SpecSyntax, SpecSyntax?> _compose;

    public VisibleSpecs(IReadOnlyDictionary<string, SpecSyntax> specs, Func<SpecSyntax, SpecSyntax?> compose)
    {
        _specs = specs;
        _compose = compose;
    }

    /// <summary>None: a spec bound on its own (a test's), whose teachers can name no other spec.</summary>
    public static VisibleSpecs None { get; } = new(new Dictionary<string, SpecSyntax>(), _ => null);

    public IEnumerable<string> Names => _specs.Keys;

    public bool Contains(string name) => _specs.ContainsKey(name);

    /// <summary>The spec with its bases applied; null when there is none of that name or its chain is broken (reported
    /// where it is declared).</summary>
    public SpecSyntax? Composed(string name) => _specs.TryGetValue(name, out var syntax) ? _compose(syntax) : null;
}
