namespace AvDsl.Cli.Commands;

/// <summary>Prose (a doc summary) broken into lines at spaces, for a terminal.</summary>
public static class Paragraph
{
    /// <summary>The width prose is wrapped to: narrower than most terminals, wide enough for a shape rule.</summary>
    public const int Width = 100;

    public static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
