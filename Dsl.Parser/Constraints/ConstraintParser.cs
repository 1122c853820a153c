using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Constraints;

/// <summary>Reads the notation of <c>[Constraint("dim % heads == 0")]</c>.</summary>
public sealed class ConstraintParser : RuleScanner
{
    private static readonly string[] Comparisons = { "<=", ">=", "==", "!=", "<", ">" };

    private ConstraintParser(string text) : base(text)
    {
    }

    /// <summary>The rule, or null with the reason in <paramref name="error"/>.</summary>
    public static ConstraintExpr? Parse(string text, out string? error)
    {
        var parser = new ConstraintParser(text);
        try
        {
            var rule = parser.Or();
            if (!parser.AtEnd) throw parser.Error("unexpected text");
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

    private string? ComparisonOperator() => Comparisons.FirstOrDefault(Accept);

    private ConstraintExpr Sum()
    {
        var left = Product();
        while (Peek("+") || Peek("-"))
        {
            var op = Text[At++];
            left = new ArithmeticTerm(op, left, Product());
        }
        return left;
    }

    private ConstraintExpr Product()
    {
        var left = Unary();
        while (Peek("*") || Peek("/") || Peek("%"))
        {
            var op = Text[At++];
            left = new ArithmeticTerm(op, left, Unary());
        }
        return left;
    }

    private ConstraintExpr Unary() => Accept("-") ? new NegateTerm(Unary()) : Atom();

    private ConstraintExpr Atom()
    {
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        Skip();
        if (At < Text.Length && (char.IsDigit(Text[At]) || Text[At] == '.')) return new NumberTerm(Number());
        var name = Name();
        if (name == "len")
        {
            Expect("(");
            var list = Name();
            Expect(")");
            return new LengthTerm(list);
        }
        if (name == "every")
        {
            Expect("(");
            var list = Name();
            Expect(",");
            var condition = Or();
            Expect(")");
            return new EveryTerm(list, condition);
        }
        if (!Accept("[")) return new NameTerm(name);
        var index = (int)Number();
        Expect("]");
        return new IndexTerm(name, index);
    }

    private bool Keyword(string word)
    {
        Skip();
        var end = At + word.Length;
        if (string.CompareOrdinal(Text, At, word, 0, word.Length) != 0 || (end < Text.Length && IsNamePart(Text[end]))) return false;
        At = end;
        return true;
    }

    private double Number()
    {
        Skip();
        var start = At;
        while (At < Text.Length && (char.IsDigit(Text[At]) || Text[At] is '.' or 'e' or 'E' || (At > start && Text[At] is '-' or '+' && Text[At - 1] is 'e' or 'E'))) At++;
        if (!double.TryParse(Text.Substring(start, At - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw Error("expected a number");
        return value;
    }
}
