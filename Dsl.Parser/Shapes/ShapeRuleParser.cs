using System;
using System.Collections.Generic;
using System.Globalization;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>Reads the notation of <c>[Shape("x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]")]</c>.</summary>
public sealed class ShapeRuleParser : RuleScanner
{
    private ShapeRuleParser(string text) : base(text)
    {
    }

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
                // `audio.probability: [B, Na]`: an output of a result the output holds.
                if (Accept(".")) member += "." + Name();
                Expect(":");
                members.Add((member, Pattern()));
            }
            while (Accept(","));
        }
        if (!AtEnd) throw Error("unexpected text");
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
            var op = Text[At++];
            left = new BinaryDim(op, left, Product());
        }
        return left;
    }

    private DimExpr Product()
    {
        var left = Factor();
        while (Peek("*") || Peek("/"))
        {
            var op = Text[At++];
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
        if (At < Text.Length && char.IsDigit(Text[At])) return new NumberDim(Number());
        var name = Name();
        if (!Accept("[")) return new NameDim(name);
        var index = (int)Number();
        Expect("]");
        return new IndexDim(name, index);
    }

    private long Number()
    {
        Skip();
        var start = At;
        while (At < Text.Length && char.IsDigit(Text[At])) At++;
        if (start == At) throw Error("expected a number");
        return long.Parse(Text.Substring(start, At - start), CultureInfo.InvariantCulture);
    }
}
