using System;
using System.Collections.Generic;
using System.Globalization;

namespace AvDsl.Dsl.Constraints;

/// <summary>Reads the notation of <c>[Constraint("dim % heads == 0")]</c>.</summary>
public sealed class ConstraintParser
{
    private static readonly string[] Comparisons = { "<=", ">=", "==", "!=", "<", ">" };
    private readonly string _text;
    private int _at;

    private ConstraintParser(string text) => _text = text;

    /// <summary>The rule, or null with the reason in <paramref name="error"/>.</summary>
    public static ConstraintExpr? Parse(string text, out string? error)
    {
        var parser = new ConstraintParser(text);
        try
        {
            var rule = parser.Or();
            parser.Skip();
            if (parser._at < text.Length) throw parser.Error("unexpected text");
            error = null;
            return rule;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Every name a rule reads (not <c>item</c> inside <c>every</c>).</summary>
    public static IEnumerable<string> Names(ConstraintExpr expr)
    {
        switch (expr)
        {
            case NameTerm n: yield return n.Name; break;
            case IndexTerm i: yield return i.Name; break;
            case LengthTerm l: yield return l.Name; break;
            case NegateTerm n: foreach (var x in Names(n.Operand)) yield return x; break;
            case ArithmeticTerm a:
                foreach (var x in Names(a.Left)) yield return x;
                foreach (var x in Names(a.Right)) yield return x;
                break;
            case ComparisonTerm c:
                foreach (var operand in c.Operands) foreach (var x in Names(operand)) yield return x;
                break;
            case LogicTerm l:
                foreach (var x in Names(l.Left)) yield return x;
                foreach (var x in Names(l.Right)) yield return x;
                break;
            case EveryTerm e:
                yield return e.List;
                foreach (var x in Names(e.Condition)) if (x != EveryItem) yield return x;
                break;
        }
    }

    public const string EveryItem = "item";

    private ConstraintExpr Or()
    {
        var left = And();
        while (Keyword("or")) left = new LogicTerm(false, left, And());
        return left;
    }

    private ConstraintExpr And()
    {
        var left = Comparison();
        while (Keyword("and")) left = new LogicTerm(true, left, Comparison());
        return left;
    }

    private ConstraintExpr Comparison()
    {
        var operands = new List<ConstraintExpr> { Sum() };
        var operators = new List<string>();
        while (ComparisonOperator() is { } op)
        {
            operators.Add(op);
            operands.Add(Sum());
        }
        return operators.Count == 0 ? operands[0] : new ComparisonTerm(operands, operators);
    }

    private string? ComparisonOperator()
    {
        Skip();
        foreach (var op in Comparisons)
        {
            if (string.CompareOrdinal(_text, _at, op, 0, op.Length) == 0)
            {
                _at += op.Length;
                return op;
            }
        }
        return null;
    }

    private ConstraintExpr Sum()
    {
        var left = Product();
        while (Peek('+') || Peek('-'))
        {
            var op = _text[_at++];
            left = new ArithmeticTerm(op, left, Product());
        }
        return left;
    }

    private ConstraintExpr Product()
    {
        var left = Unary();
        while (Peek('*') || Peek('/') || Peek('%'))
        {
            var op = _text[_at++];
            left = new ArithmeticTerm(op, left, Unary());
        }
        return left;
    }

    private ConstraintExpr Unary() => Accept('-') ? new NegateTerm(Unary()) : Atom();

    private ConstraintExpr Atom()
    {
        if (Accept('('))
        {
            var inner = Or();
            Expect(')');
            return inner;
        }
        Skip();
        if (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '.')) return new NumberTerm(Number());
        var name = Name();
        if (name == "len")
        {
            Expect('(');
            var list = Name();
            Expect(')');
            return new LengthTerm(list);
        }
        if (name == "every")
        {
            Expect('(');
            var list = Name();
            Expect(',');
            var condition = Or();
            Expect(')');
            return new EveryTerm(list, condition);
        }
        if (!Accept('[')) return new NameTerm(name);
        var index = (int)Number();
        Expect(']');
        return new IndexTerm(name, index);
    }

    private bool Keyword(string word)
    {
        Skip();
        var end = _at + word.Length;
        if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0 || (end < _text.Length && IsNamePart(_text[end]))) return false;
        _at = end;
        return true;
    }

    private double Number()
    {
        Skip();
        var start = _at;
        while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] is '.' or 'e' or 'E' || (_at > start && _text[_at] is '-' or '+' && _text[_at - 1] is 'e' or 'E'))) _at++;
        if (!double.TryParse(_text.Substring(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw Error("expected a number");
        return value;
    }

    private string Name()
    {
        Skip();
        var start = _at;
        while (_at < _text.Length && IsNamePart(_text[_at]) && (_at > start || !char.IsDigit(_text[_at]))) _at++;
        if (start == _at) throw Error("expected a name");
        return _text.Substring(start, _at - start);
    }

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';

    private bool Peek(char c)
    {
        Skip();
        return _at < _text.Length && _text[_at] == c;
    }

    private bool Accept(char c)
    {
        if (!Peek(c)) return false;
        _at++;
        return true;
    }

    private void Expect(char c)
    {
        if (!Accept(c)) throw Error($"expected `{c}`");
    }

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
    }

    private FormatException Error(string what) => new($"{what} at column {_at + 1} of `{_text}`");
}
