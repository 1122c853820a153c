using System;

namespace AvDsl.Dsl.Text;

/// <summary>What the readers of the attribute notations (<c>[Shape]</c>, <c>[Constraint]</c>) share: a position in the
/// text, tokens compared after white space, names, and an error that says where.</summary>
public abstract class RuleScanner
{
    protected RuleScanner(string text) => Text = text;

    protected string Text { get; }

    protected int At { get; set; }

    protected bool AtEnd
    {
        get
        {
            Skip();
            return At >= Text.Length;
        }
    }

    protected void Skip()
    {
        while (At < Text.Length && char.IsWhiteSpace(Text[At])) At++;
    }

    protected bool Peek(string token)
    {
        Skip();
        return string.CompareOrdinal(Text, At, token, 0, token.Length) == 0;
    }

    protected bool Accept(string token)
    {
        if (!Peek(token)) return false;
        At += token.Length;
        return true;
    }

    protected void Expect(string token)
    {
        if (!Accept(token)) throw Error($"expected `{token}`");
    }

    protected static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';

    protected string Name()
    {
        Skip();
        var start = At;
        while (At < Text.Length && IsNamePart(Text[At]) && (At > start || !char.IsDigit(Text[At]))) At++;
        if (start == At) throw Error("expected a name");
        return Text.Substring(start, At - start);
    }

    protected FormatException Error(string what) => new($"{what} at column {At + 1} of `{Text}`");
}
