using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Syntax;

/// <summary>One name of a dotted path, with its span.</summary>
public sealed record PathSegment(string Name, TextSpan Span);

/// <summary>A dotted path to a setting: <c>encoder.depth</c>, <c>view.ratio</c>, <c>train.lr.peak</c>, or one name for a
/// param: <c>dim</c>.</summary>
public sealed record PathSyntax(TextSpan Span, IReadOnlyList<PathSegment> Segments)
{
    public string Text => string.Join(".", Segments.Select(s => s.Name));
}

/// <summary><c>encoder.depth = 6</c> in a spec body: changes one argument or setting of what the spec inherited;
/// <c>dim = 192</c> changes a param.</summary>
public sealed record OverrideSyntax(TextSpan Span, PathSyntax Path, ExpressionSyntax Value) : MemberDeclarationSyntax(Span);

/// <summary><c>path in [v1, v2, …]</c>.</summary>
public sealed record SweepParameterSyntax(TextSpan Span, PathSyntax Path, ListSyntax Values);

/// <summary><c>when path == value</c>: the axis varies only at points where an earlier axis has that value.</summary>
public sealed record SweepConditionSyntax(TextSpan Span, PathSyntax Path, ExpressionSyntax Value);

/// <summary><c>grid p in […]</c> (one axis) or <c>zip p in […], q in […]</c> (one axis of paired values), optionally
/// conditional.</summary>
public sealed record SweepAxisSyntax(TextSpan Span, string Kind, IReadOnlyList<SweepParameterSyntax> Parameters, SweepConditionSyntax? Condition = null);

/// <summary><c>sweep Name of Spec { axes }</c>: one variant of the spec per point of the product of the axes.</summary>
public sealed record SweepSyntax(TextSpan Span, string Name, TextSpan NameSpan, string Of, TextSpan OfSpan, IReadOnlyList<SweepAxisSyntax> Axes);
