using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Diagnostics;

/// <summary>One finding about a spec: data, not text. The CLI renders it rustc-style; the generator reports
/// the same object as a Roslyn diagnostic located in the .avml file.</summary>
public sealed record Diagnostic(
    string Code,
    Severity Severity,
    string Path,
    TextSpan Span,
    int Line,
    int Column,
    int EndLine,
    int EndColumn,
    string Message,
    string? Help,
    EquatableArray<DiagnosticNote> Notes = default)
{
    public bool IsError => Severity == Severity.Error;

    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceFile file, TextSpan span, string message, string? help = null)
    {
        var (line, column) = file.Position(span.Start);
        var (endLine, endColumn) = file.Position(span.End);
        return new Diagnostic(descriptor.Code, descriptor.Severity, file.Path, span, line, column, endLine, endColumn, message, help);
    }

    /// <summary>A note pointing at another place of the sources: its line's text is kept so that it renders alone.</summary>
    public static DiagnosticNote Note(SourceFile file, TextSpan span, string message)
    {
        var (line, column) = file.Position(span.Start);
        var (endLine, endColumn) = file.Position(span.End);
        return new DiagnosticNote(file.Path, line, column, endLine == line ? System.Math.Max(1, endColumn - column) : 1, message, file.LineText(line));
    }

    public override string ToString() =>
        $"{Path}:{Line}:{Column}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}

/// <summary>A further place a diagnostic concerns: <c>note: the base line …</c> under the error.</summary>
public sealed record DiagnosticNote(string Path, int Line, int Column, int Width, string Message, string LineText)
{
    public override string ToString() => $"{Path}:{Line}:{Column}: note: {Message}";
}
