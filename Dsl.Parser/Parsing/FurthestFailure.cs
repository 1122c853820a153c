using System.Collections.Generic;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Parsing;

/// <summary>Sprache backtracks and reports where an alternative began; the useful place is the furthest point any
/// token parser reached. Token parsers record their failures here, and the statement loop reads it.</summary>
internal static class FurthestFailure
{
    [System.ThreadStatic] private static int _position;
    [System.ThreadStatic] private static List<string>? _expected;
    [System.ThreadStatic] private static FailureExplanation? _explanation;

    public static int Position => _position;
    public static IReadOnlyList<string> Expected => _expected ??= new List<string>();

    /// <summary>What went wrong at <see cref="Position"/> when a parser knew better than a list of expectations.</summary>
    public static FailureExplanation? Explanation => _explanation;

    public static void Reset()
    {
        _position = -1;
        _explanation = null;
        (_expected ??= new List<string>()).Clear();
    }

    public static void Record(int position, string expectation)
    {
        _expected ??= new List<string>();
        if (position > _position)
        {
            _position = position;
            _explanation = null;
            _expected.Clear();
        }
        if (position == _position && !_expected.Contains(expectation)) _expected.Add(expectation);
    }

    /// <summary>Records a failure with its own explanation; at the same position it wins over plain expectations, and
    /// the first one recorded (the innermost construct) wins over later ones.</summary>
    public static void Explain(int position, FailureExplanation explanation)
    {
        if (position > _position)
        {
            _position = position;
            (_expected ??= new List<string>()).Clear();
            _explanation = explanation;
        }
        else if (position == _position && _explanation is null)
        {
            _explanation = explanation;
        }
    }
}

/// <summary>A syntax error that says more than "expected …": where to report it, what to say, and where parsing may
/// resume (null: skip the statement as usual).</summary>
internal sealed record FailureExplanation(TextSpan Span, string Message, string? Help, int? ResumeAt = null);
