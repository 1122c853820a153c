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
    string? Help)
{
    public bool IsError => Severity == Severity.Error;

    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceFile file, TextSpan span, string message, string? help = null)
    {
        var (line, column) = file.Position(span.Start);
        var (endLine, endColumn) = file.Position(span.End);
        return new Diagnostic(descriptor.Code, descriptor.Severity, file.Path, span, line, column, endLine, endColumn, message, help);
    }

    public override string ToString() =>
        $"{Path}:{Line}:{Column}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}
