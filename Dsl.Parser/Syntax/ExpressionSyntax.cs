using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Syntax;

/// <summary>An expression as written, with the span of its text. Used for component arguments, settings and flow values.</summary>
public abstract record ExpressionSyntax(TextSpan Span);

public sealed record NumberSyntax(TextSpan Span, double Value, string Text) : ExpressionSyntax(Span)
{
    /// <summary>True when the literal was written without a fraction or exponent (so it may bind to an integer).</summary>
    public bool IsWhole => Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;
}

public sealed record StringSyntax(TextSpan Span, string Value) : ExpressionSyntax(Span);

public sealed record NameSyntax(TextSpan Span, string Name) : ExpressionSyntax(Span);

public sealed record ListSyntax(TextSpan Span, IReadOnlyList<ExpressionSyntax> Items) : ExpressionSyntax(Span);

public sealed record ArgumentSyntax(TextSpan Span, string? Name, TextSpan NameSpan, ExpressionSyntax Value);

public sealed record CallSyntax(TextSpan Span, ExpressionSyntax Callee, IReadOnlyList<ArgumentSyntax> Arguments) : ExpressionSyntax(Span);

public sealed record MemberSyntax(TextSpan Span, ExpressionSyntax Target, string Name, TextSpan NameSpan) : ExpressionSyntax(Span);

public sealed record IndexSyntax(TextSpan Span, ExpressionSyntax Target, ExpressionSyntax Index) : ExpressionSyntax(Span);

public sealed record BinarySyntax(TextSpan Span, char Operator, ExpressionSyntax Left, ExpressionSyntax Right) : ExpressionSyntax(Span);

public sealed record NegateSyntax(TextSpan Span, ExpressionSyntax Operand) : ExpressionSyntax(Span);
