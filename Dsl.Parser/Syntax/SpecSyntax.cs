using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Syntax;

/// <summary><c>spec Name [extends Base] { members }</c>.</summary>
public sealed record SpecSyntax(
    TextSpan Span,
    string Name,
    TextSpan NameSpan,
    string? Extends,
    TextSpan ExtendsSpan,
    IReadOnlyList<MemberDeclarationSyntax> Members);

/// <summary><c>import "other.avml"</c>: makes the other file's specs available as bases.</summary>
public sealed record ImportSyntax(TextSpan Span, StringSyntax Path);

/// <summary>A parsed file: its imports, specs and sweeps, and the syntax errors recovered from.</summary>
public sealed record SpecFileSyntax(
    SourceFile File,
    IReadOnlyList<ImportSyntax> Imports,
    IReadOnlyList<SpecSyntax> Specs,
    IReadOnlyList<SweepSyntax> Sweeps,
    IReadOnlyList<Diagnostics.Diagnostic> Diagnostics);
