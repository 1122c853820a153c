using System;
using System.Collections.Generic;

namespace AvDsl.Dsl.Text;

/// <summary>The text of one .avml file and the map from offsets to 1-based lines and columns. Offsets are global
/// within a <see cref="SourceSet"/>: this file's text starts at <see cref="Base"/>, so one span type locates text in
/// any of the files a spec was composed from (imports, extends).</summary>
public sealed class SourceFile
{
    private readonly int[] _lineStarts;

    public SourceFile(string path, string text, int @base = 0)
    {
        Path = path;
        Text = text;
        Base = @base;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') starts.Add(i + 1);
        }
        _lineStarts = starts.ToArray();
    }

    public string Path { get; }
    public string Text { get; }
    public int Base { get; }
    public int End => Base + Text.Length;

    public bool Contains(int offset) => offset >= Base && offset <= End;
    public int LineCount => _lineStarts.Length;

    /// <summary>1-based line and column of an offset.</summary>
    public (int Line, int Column) Position(int offset)
    {
        offset = Math.Max(0, Math.Min(offset - Base, Text.Length));
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return (line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>The text of a 1-based line without its line break.</summary>
    public string LineText(int line)
    {
        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Length ? _lineStarts[line] : Text.Length;
        return Text.Substring(start, end - start).TrimEnd('\r', '\n');
    }

    public int LineStart(int line) => Base + _lineStarts[line - 1];
}
