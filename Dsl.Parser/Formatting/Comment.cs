using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Formatting;

/// <summary>A comment of the source, kept by the formatter (the syntax tree has no trivia).</summary>
internal sealed record Comment(TextSpan Span, string Text, bool IsLine)
{
    /// <summary>Every comment in the text, skipping string literals.</summary>
    public static List<Comment> Scan(string text, int @base)
    {
        var comments = new List<Comment>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                for (i++; i < text.Length && text[i] != '"' && text[i] != '\n'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n') i++;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                var end = text.IndexOf('\n', i);
                if (end < 0) end = text.Length;
                comments.Add(new Comment(new TextSpan(@base + i, end - i), text.Substring(i, end - i).TrimEnd('\r', ' ', '\t'), true));
                i = end;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                comments.Add(new Comment(new TextSpan(@base + i, end - i), text.Substring(i, end - i), false));
                i = end - 1;
            }
        }
        return comments;
    }
}
