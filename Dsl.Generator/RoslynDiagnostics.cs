using AvDsl.Dsl.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AvDsl.Generator;

/// <summary>Reports a spec diagnostic to the compiler at its place in the .avml file, with the same code as `avdsl check`.</summary>
internal static class RoslynDiagnostics
{
    public static Microsoft.CodeAnalysis.Diagnostic From(Dsl.Diagnostics.Diagnostic diagnostic)
    {
        var title = DiagnosticCodes.Find(diagnostic.Code)?.Title ?? diagnostic.Code;
        var descriptor = new Microsoft.CodeAnalysis.DiagnosticDescriptor(
            diagnostic.Code,
            title,
            "{0}",
            "AvDsl",
            diagnostic.IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: null);
        var location = Location.Create(
            diagnostic.Path,
            new TextSpan(diagnostic.Span.Start, diagnostic.Span.Length),
            new LinePositionSpan(new LinePosition(diagnostic.Line - 1, diagnostic.Column - 1), new LinePosition(diagnostic.EndLine - 1, diagnostic.EndColumn - 1)));
        var message = diagnostic.Help is { Length: > 0 } help ? $"{diagnostic.Message} (help: {help})" : diagnostic.Message;
        foreach (var note in diagnostic.Notes) message += $" (note: {note.Path}:{note.Line}:{note.Column}: {note.Message})";
        return Microsoft.CodeAnalysis.Diagnostic.Create(descriptor, location, message);
    }
}
