using System;
using System.Collections.Generic;
using System.Globalization;

namespace AvDsl.Dsl.Shapes;

/// <summary>Reads the notation of <c>[Shape("x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]")]</c>.</summary>
public sealed class ShapeRuleParser
{
    private readonly string _text;
    private int _at;

    private ShapeRuleParser(string text) => _text = text;

    /// <summary>The rule, or null with the reason in <paramref name="error"/>.</summary>
    public static ShapeRule? Parse(string text, out string? error)
    {
        var parser = new ShapeRuleParser(text);
        try
        {
            var rule = parser.Rule();
            error = null;
            return rule;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private ShapeRule Rule()
    {
        var inputs = new List<(string, ShapePattern?)>();
        if (!Peek("->"))
        {
            do
            {
                var name = Name();
                // `view.keep_indices: [B, K]`: the pattern is of one output of a result input.
                if (Accept(".")) name += "." + Name();
                inputs.Add((name, Accept(":") ? Pattern() : null));
            }
            while (Accept(","));
        }
        Expect("->");
        ShapePattern? output = null;
        var members = new List<(string, ShapePattern)>();
        if (Peek("["))
        {
            output = Pattern();
        }
        else
        {
            do
            {
                var member = Name();
                Expect(":");
                members.Add((member, Pattern()));
            }
            while (Accept(","));
        }
        Skip();
        if (_at < _text.Length) throw Error("unexpected text");
        return new ShapeRule(inputs, output, members);
    }

    private ShapePattern Pattern()
    {
        Expect("[");
        var items = new List<PatternItem>();
        if (!Peek("]"))
        {
            do
            {
                items.Add(Accept("*") ? new PatternItem(null, Name()) : new PatternItem(Sum(), null));
            }
            while (Accept(","));
        }
        Expect("]");
        return new ShapePattern(items);
    }

    private DimExpr Sum()
    {
        var left = Product();
        while (Peek("+") || Peek("-"))
        {
            var op = _text[_at++];
            left = new BinaryDim(op, left, Product());
        }
        return left;
    }

    private DimExpr Product()
    {
        var left = Factor();
        while (Peek("*") || Peek("/"))
        {
            var op = _text[_at++];
            left = new BinaryDim(op, left, Factor());
        }
        return left;
    }

    private DimExpr Factor()
    {
        if (Accept("("))
        {
            var inner = Sum();
            Expect(")");
            return inner;
        }
        Skip();
        if (_at < _text.Length && char.IsDigit(_text[_at])) return new NumberDim(Number());
        var name = Name();
        if (!Accept("[")) return new NameDim(name);
        var index = (int)Number();
        Expect("]");
        return new IndexDim(name, index);
    }

    private long Number()
    {
        Skip();
        var start = _at;
        while (_at < _text.Length && char.IsDigit(_text[_at])) _at++;
        if (start == _at) throw Error("expected a number");
        return long.Parse(_text.Substring(start, _at - start), CultureInfo.InvariantCulture);
    }

    private string Name()
    {
        Skip();
        var start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_')) _at++;
        if (start == _at) throw Error("expected a name");
        return _text.Substring(start, _at - start);
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
    }

    private bool Peek(string token)
    {
        Skip();
        return string.CompareOrdinal(_text, _at, token, 0, token.Length) == 0;
    }

    private bool Accept(string token)
    {
        if (!Peek(token)) return false;
        _at += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token)) throw Error($"expected `{token}`");
    }

    private FormatException Error(string what) => new($"{what} at column {_at + 1} of \"{_text}\"");
}
