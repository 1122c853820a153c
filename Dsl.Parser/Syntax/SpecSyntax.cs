using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Syntax;

/// <summary><c>spec Name { members }</c>.</summary>
public sealed record SpecSyntax(TextSpan Span, string Name, TextSpan NameSpan, IReadOnlyList<MemberDeclarationSyntax> Members);

/// <summary>A parsed file: its specs, and the syntax errors recovered from.</summary>
public sealed record SpecFileSyntax(SourceFile File, IReadOnlyList<SpecSyntax> Specs, IReadOnlyList<Diagnostics.Diagnostic> Diagnostics);
