using System.Collections.Generic;

namespace AvDsl.Dsl.Parsing;

/// <summary>Sprache backtracks and reports where an alternative began; the useful place is the furthest point any
/// token parser reached. Token parsers record their failures here, and the statement loop reads it.</summary>
internal static class FurthestFailure
{
    [System.ThreadStatic] private static int _position;
    [System.ThreadStatic] private static List<string>? _expected;

    public static int Position => _position;
    public static IReadOnlyList<string> Expected => _expected ??= new List<string>();

    public static void Reset()
    {
        _position = -1;
        (_expected ??= new List<string>()).Clear();
    }

    public static void Record(int position, string expectation)
    {
        _expected ??= new List<string>();
        if (position > _position)
        {
            _position = position;
            _expected.Clear();
        }
        if (position == _position && !_expected.Contains(expectation)) _expected.Add(expectation);
    }
}
