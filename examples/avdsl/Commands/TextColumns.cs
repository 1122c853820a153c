namespace AvDsl.Cli.Commands;

/// <summary>Rows of cells printed as left-aligned columns, two spaces apart, with no trailing spaces; plain text, so
/// that it reads the same in a terminal, a pipe and a test. A note is a line of its own under the row before it.</summary>
public sealed class TextColumns
{
    private readonly List<(string[] Cells, string? Note)> rows = [];

    public TextColumns Add(params string[] cells)
    {
        rows.Add((cells, null));
        return this;
    }

    /// <summary>A line under the last row, indented past its first column, wrapped to the given width; aligns nothing.</summary>
    public TextColumns Note(string text)
    {
        rows.Add(([], text));
        return this;
    }

    public int Count => rows.Count(r => r.Note is null);

    public void WriteTo(TextWriter output, string indent = "  ")
    {
        var cells = rows.Where(r => r.Note is null).Select(r => r.Cells).ToList();
        var columns = cells.Count == 0 ? 0 : cells.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(i => cells.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        foreach (var (row, note) in rows)
        {
            if (note is not null)
            {
                // Under the row's second column, where a reader's eye already is.
                var noteIndent = indent + new string(' ', widths.Length > 0 ? widths[0] + 2 : 2);
                foreach (var line in Paragraph.Wrap(note, Paragraph.Width - noteIndent.Length)) output.WriteLine(noteIndent + line);
                continue;
            }
            output.WriteLine((indent + string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])))).TrimEnd());
        }
    }
}
