using System;
using System.Text;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Diagnostics;

/// <summary>Renders a diagnostic rustc-style: location and message, the user's own line, a caret under the span, help.</summary>
public static class DiagnosticRenderer
{
    public static string Render(Diagnostic diagnostic, SourceFile file)
    {
        var text = new StringBuilder();
        text.Append(diagnostic.ToString()).Append('\n');
        if (diagnostic.Line >= 1 && diagnostic.Line <= file.LineCount)
        {
            var gutter = diagnostic.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var pad = new string(' ', gutter.Length);
            var line = file.LineText(diagnostic.Line).Replace('\t', ' ');
            var width = diagnostic.EndLine == diagnostic.Line
                ? Math.Max(1, diagnostic.EndColumn - diagnostic.Column)
                : Math.Max(1, line.Length - diagnostic.Column + 1);
            text.Append(pad).Append(" |\n");
            text.Append(gutter).Append(" | ").Append(line).Append('\n');
            text.Append(pad).Append(" | ").Append(new string(' ', Math.Max(0, diagnostic.Column - 1))).Append(new string('^', width)).Append('\n');
        }
        if (diagnostic.Help is { Length: > 0 } help)
        {
            text.Append("  = help: ").Append(help).Append('\n');
        }
        foreach (var note in diagnostic.Notes)
        {
            var gutter = note.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var pad = new string(' ', gutter.Length);
            text.Append(note.ToString()).Append('\n');
            text.Append(pad).Append(" |\n");
            text.Append(gutter).Append(" | ").Append(note.LineText.Replace('\t', ' ')).Append('\n');
            text.Append(pad).Append(" | ").Append(new string(' ', Math.Max(0, note.Column - 1))).Append(new string('-', note.Width)).Append('\n');
        }
        return text.ToString();
    }
}
