namespace AvDsl.Cli.Commands;

/// <summary>The part of a document between <c>&lt;!-- components:begin --&gt;</c> and <c>&lt;!-- components:end --&gt;</c>:
/// the generated component reference inside the hand-written docs/language.md.</summary>
public static class MarkedSection
{
    public const string Begin = "<!-- components:begin -->";
    public const string End = "<!-- components:end -->";

    /// <summary>The text between the markers (without the line breaks that follow and precede them); null without both.</summary>
    public static string? Read(string document) =>
        Bounds(document) is (int start, int end) ? document[start..end].Replace("\r\n", "\n") : null;

    /// <summary>The document with the text between its markers replaced; null when it has no markers.</summary>
    public static string? Replace(string document, string section) =>
        Bounds(document) is (int start, int end) ? document[..start] + section + document[end..] : null;

    // After the begin marker's line break and up to the start of the end marker's line.
    private static (int Start, int End)? Bounds(string document)
    {
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = begin < 0 ? -1 : document.IndexOf(End, begin, StringComparison.Ordinal);
        if (begin < 0 || end < 0) return null;
        var start = document.IndexOf('\n', begin) + 1;
        return start <= 0 || start > end ? null : (start, end);
    }
}
