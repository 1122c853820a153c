using System;
using System.Collections.Generic;
using System.Linq;

namespace AvDsl.Dsl.Constraints;

/// <summary>Evaluates a constraint where every name has one value: a number (double), a list of numbers, a word (an
/// enum member or a string) or a boolean. A name without a value, or a division by zero, leaves the result unknown
/// (null): what the spec does not fix is not judged.</summary>
public static class ConstraintEvaluator
{
    public static bool? Holds(ConstraintExpr rule, Func<string, object?> lookup) => Evaluate(rule, lookup) as bool?;

    private static object? Evaluate(ConstraintExpr expr, Func<string, object?> lookup)
    {
        switch (expr)
        {
            case NumberTerm n:
                return n.Value;
            case NameTerm n:
                return lookup(n.Name);
            case IndexTerm i:
                return lookup(i.Name) is IReadOnlyList<double> list && i.Index < list.Count ? list[i.Index] : null;
            case LengthTerm l:
                return lookup(l.Name) is IReadOnlyList<double> elements ? (double)elements.Count : null;
            case NegateTerm n:
                return Evaluate(n.Operand, lookup) is double v ? -v : null;
            case ArithmeticTerm a:
            {
                if (Evaluate(a.Left, lookup) is not double x || Evaluate(a.Right, lookup) is not double y) return null;
                if (a.Operator is '/' or '%' && y == 0) return null;
                return a.Operator switch { '+' => x + y, '-' => x - y, '*' => x * y, '/' => x / y, _ => x % y };
            }
            case ComparisonTerm c:
            {
                var values = c.Operands.Select(o => Evaluate(o, lookup)).ToList();
                bool? result = true;
                for (var i = 0; i < c.Operators.Count; i++)
                {
                    var pair = Compare(c.Operators[i], values[i], values[i + 1]);
                    if (pair == false) return false;
                    if (pair is null) result = null;
                }
                return result;
            }
            case LogicTerm l:
            {
                var left = Evaluate(l.Left, lookup) as bool?;
                var right = Evaluate(l.Right, lookup) as bool?;
                if (l.And) return left == false || right == false ? false : left == true && right == true ? true : null;
                return left == true || right == true ? true : left == false && right == false ? false : null;
            }
            case EveryTerm e:
            {
                if (lookup(e.List) is not IReadOnlyList<double> items) return null;
                bool? result = true;
                foreach (var item in items)
                {
                    var holds = Evaluate(e.Condition, name => name == ConstraintParser.EveryItem ? item : lookup(name)) as bool?;
                    if (holds == false) return false;
                    if (holds is null) result = null;
                }
                return result;
            }
            default:
                return null;
        }
    }

    private static bool? Compare(string op, object? left, object? right)
    {
        if (left is double a && right is double b)
        {
            return op switch { "<" => a < b, "<=" => a <= b, ">" => a > b, ">=" => a >= b, "==" => a == b, _ => a != b };
        }
        if (left is null || right is null || op is not ("==" or "!=")) return null;
        return op == "==" ? Equals(left, right) : !Equals(left, right);
    }
}
