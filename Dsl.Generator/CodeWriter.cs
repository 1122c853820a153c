using System.Text;

namespace AvDsl.Generator;

/// <summary>Indented text with "\n" line ends on every platform, so generated sources are byte-identical everywhere.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>A line at column zero (#line directives).</summary>
    public CodeWriter Directive(string line)
    {
        _text.Append(line).Append('\n');
        return this;
    }

    public CodeWriter Open(string line)
    {
        Line(line);
        Line("{");
        _depth++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _depth--;
        Line("}" + suffix);
        return this;
    }

    /// <summary>A C# raw string literal holding multi-line text, indented to the current depth.</summary>
    public CodeWriter RawString(string text, string suffix)
    {
        var longest = 0;
        for (int i = 0, run = 0; i < text.Length; i++)
        {
            run = text[i] == '"' ? run + 1 : 0;
            if (run > longest) longest = run;
        }
        var quotes = new string('"', System.Math.Max(3, longest + 1));
        Line(quotes);
        foreach (var line in text.TrimEnd('\n').Split('\n')) Line(line);
        if (text.EndsWith("\n", System.StringComparison.Ordinal)) Line();
        Line(quotes + suffix);
        return this;
    }

    public override string ToString() => _text.ToString();
}
