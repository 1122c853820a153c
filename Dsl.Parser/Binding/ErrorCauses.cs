using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>A statement of a child spec or a setting of a sweep point that changes what it inherits, with the words
/// that name what it changes (<c>encoder.heads</c> → encoder, heads).</summary>
public sealed record ErrorCause(TextSpan Span, IReadOnlyList<string> Words);

/// <summary>Puts an error that exists only in a child spec or a sweep point where that spec or point changes its base:
/// the base checks clean on its own, so an error at the base's line would blame the wrong file. The error names the
/// child or the variant, points at its overriding line, and keeps the base's line as a note.</summary>
internal sealed class ErrorCauses
{
    private readonly SourceSet _sources;
    private readonly Func<string, IReadOnlyList<Diagnostic>?> _bindBase;
    private readonly Dictionary<string, HashSet<Diagnostic>> _baseErrors = new(StringComparer.Ordinal);
    // An error a base already moved to its cause: a grandchild inherits the moved one, not the raw one.
    private readonly Dictionary<Diagnostic, Diagnostic> _moved = new();

    /// <param name="bindBase">The diagnostics of a spec bound on its own (composed with its bases); null when it cannot be.</param>
    public ErrorCauses(SourceSet sources, Func<string, IReadOnlyList<Diagnostic>?> bindBase)
    {
        _sources = sources;
        _bindBase = bindBase;
    }

    /// <summary>The causes of a child spec: its own statements.</summary>
    public static IReadOnlyList<ErrorCause> Of(SpecSyntax child) => child.Members.SelectMany(member => member switch
    {
        OverrideSyntax o => new[] { new ErrorCause(o.Span, o.Path.Segments.Select(s => s.Name).ToList()) },
        InstanceSyntax i => new[] { new ErrorCause(i.Span, new[] { i.Name }) },
        InputSyntax i => new[] { new ErrorCause(i.Span, new[] { i.Name }) },
        LossSyntax l => new[] { new ErrorCause(l.Span, new[] { l.Name }) },
        FlowSyntax f => f.Bindings.Select(b => new ErrorCause(b.Span, new[] { b.Name })).ToArray(),
        SettingsBlockSyntax b => b.Settings.Select(s => new ErrorCause(s.Span, new[] { b.Kind, s.Key }))
            .Concat(b.Values.Select(v => new ErrorCause(v.Span, new[] { b.Kind, v.Name }))).ToArray(),
        _ => new[] { new ErrorCause(member.Span, Array.Empty<string>()) },
    }).ToList();

    /// <param name="what">How the message names the derived spec: "spec `Child`" or "variant `S_X` (encoder.heads=3)".</param>
    /// <param name="own">The derived spec's own text (the child's declaration, the sweep).</param>
    /// <param name="prefixOwn">Also name the derived spec in errors already within its own text (a sweep's line serves many variants).</param>
    public IReadOnlyList<Diagnostic> Attribute(IReadOnlyList<Diagnostic> found, string baseName, string what, TextSpan own, IReadOnlyList<ErrorCause> causes, bool prefixOwn)
    {
        if (!found.Any(d => d.IsError)) return found;
        var inBase = BaseErrors(baseName);
        var attributed = found.Select(d =>
        {
            if (!d.IsError) return d;
            if (_moved.TryGetValue(d, out var moved)) return moved;
            if (Contains(own, d.Span)) return prefixOwn ? d with { Message = $"in {what}: {d.Message}" } : d;
            if (inBase is null || inBase.Contains(d) || causes.Count == 0) return d;
            var cause = Likeliest(d.Message, causes);
            var file = _sources.FileOf(cause.Span.Start);
            var relocated = Diagnostic.Create(DiagnosticCodes.Find(d.Code)!, file, cause.Span, $"in {what}: {d.Message}", d.Help) with
            {
                Notes = new[] { Diagnostic.Note(_sources.FileOf(d.Span.Start), d.Span, $"where it shows in `{baseName}`, which checks clean on its own") }
                    .Concat(d.Notes).ToEquatableArray(),
            };
            _moved[d] = relocated;
            return relocated;
        });
        // One cause breaking several inherited lines is one error with a note per line.
        return attributed.GroupBy(d => (d.Code, d.Span, d.Message))
            .Select(g => g.First() with { Notes = g.SelectMany(d => d.Notes).Distinct().ToEquatableArray() })
            .ToList();
    }

    private HashSet<Diagnostic>? BaseErrors(string name)
    {
        if (_baseErrors.TryGetValue(name, out var known)) return known;
        var found = _bindBase(name);
        return _baseErrors[name] = found is null ? null! : new HashSet<Diagnostic>(found.Where(d => d.IsError));
    }

    /// <summary>The cause whose words the message names most (as whole words); the first on a tie.</summary>
    private static ErrorCause Likeliest(string message, IReadOnlyList<ErrorCause> causes) =>
        causes.Select((c, i) => (Cause: c, Index: i, Score: c.Words.Count(w => Regex.IsMatch(message, $@"\b{Regex.Escape(w)}\b"))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Index).First().Cause;

    private static bool Contains(TextSpan outer, TextSpan inner) => inner.Start >= outer.Start && inner.End <= outer.End;
}
