namespace AvDsl.Dsl.Parsing;

/// <summary>How a syntax error names what it found: the token at a position, or the end of a line or of the file.</summary>
internal static class TokenDescription
{
    /// <param name="length">The length to underline: the word or the one character found, 0 at the end of the file.</param>
    public static string At(string text, int position, out int length)
    {
        if (position >= text.Length)
        {
            length = 0;
            return "end of file";
        }
        var end = position;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_')) end++;
        if (end == position) end = position + 1;
        length = end - position;
        var token = text.Substring(position, length);
        return token is "\n" or "\r" ? "end of line" : $"`{token}`";
    }
}
