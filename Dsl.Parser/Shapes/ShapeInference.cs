using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>The outcome of applying a shape rule: the output shape (or the shapes of a result's outputs), or the
/// first input that does not fit.</summary>
public sealed record ShapeResult(TensorShape? Output, IReadOnlyDictionary<string, TensorShape>? Members, int MismatchInput = -1, string? Mismatch = null);

/// <summary>Applies a component's shape rule to the shapes of its inputs. Only what is known is checked: two fixed
/// sizes that differ, or a rank that cannot fit, are mismatches; a symbol against anything is not.</summary>
public sealed class ShapeInference
{
    private readonly IReadOnlyDictionary<string, Value> _arguments;
    private readonly Dictionary<string, Dim> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dim[]> _variadics = new(StringComparer.Ordinal);
    // The input that bound each variadic, to name it when another input disagrees.
    private readonly Dictionary<string, string> _variadicInputs = new(StringComparer.Ordinal);

    private ShapeInference(IReadOnlyDictionary<string, Value> arguments) => _arguments = arguments;

    /// <param name="inputs">The shape of each input in order; null where it is unknown or not a tensor.</param>
    public static ShapeResult Apply(ShapeRule rule, IReadOnlyDictionary<string, Value> arguments, IReadOnlyList<TensorShape?> inputs)
    {
        var inference = new ShapeInference(arguments);
        for (var i = 0; i < rule.Inputs.Count && i < inputs.Count; i++)
        {
            var pattern = rule.Inputs[i].Pattern;
            if (pattern is null) continue;
            if (inputs[i] is not { } shape) return new ShapeResult(null, null); // unknown input: nothing to infer
            var problem = inference.Match(pattern, shape, rule.Inputs[i].Input);
            if (problem is not null)
            {
                return new ShapeResult(null, null, i, $"expects `{rule.Inputs[i].Input}` as {inference.Render(pattern)}, but it is {shape}{problem}");
            }
        }
        return rule.Output is not null
            ? new ShapeResult(inference.Build(rule.Output), null)
            : new ShapeResult(null, rule.Members.ToDictionary(m => m.Member, m => inference.Build(m.Pattern)));
    }

    /// <summary>Null when the shape fits the pattern (binding its symbols), else the reason.</summary>
    private string? Match(ShapePattern pattern, TensorShape shape, string input)
    {
        var variadic = pattern.Items.ToList().FindIndex(i => i.Variadic is not null);
        var fixedCount = pattern.Items.Count - (variadic >= 0 ? 1 : 0);
        if (variadic < 0 ? shape.Rank != fixedCount : shape.Rank < fixedCount)
        {
            return $": it has {shape.Rank} dimension{(shape.Rank == 1 ? "" : "s")}, not {(variadic < 0 ? "" : "at least ")}{fixedCount}";
        }
        var dims = shape.Dims.ToArray();
        var middle = shape.Rank - fixedCount;
        var position = 0;
        for (var i = 0; i < pattern.Items.Count; i++)
        {
            var item = pattern.Items[i];
            if (item.Variadic is { } name)
            {
                var span = dims.Skip(position).Take(middle).ToArray();
                if (_variadics.TryGetValue(name, out var bound) && !bound.SequenceEqual(span))
                    return $": *{name} is {new TensorShape(span.ToEquatableArray())} here but {new TensorShape(bound.ToEquatableArray())} in `{_variadicInputs[name]}`";
                _variadics[name] = span;
                _variadicInputs[name] = input;
                position += middle;
                continue;
            }
            var actual = dims[position];
            if (item.Dim is NameDim { Name: var symbol } && !_arguments.ContainsKey(symbol))
            {
                if (!_symbols.TryGetValue(symbol, out var known)) _symbols[symbol] = actual;
                else if (Conflict(known, actual)) return $": dimension {position + 1} is {actual}, not {known}";
            }
            else
            {
                var expected = Evaluate(item.Dim!);
                if (Conflict(expected, actual)) return $": dimension {position + 1} is {actual}, not {expected}";
            }
            position++;
        }
        return null;
    }

    private static bool Conflict(Dim expected, Dim actual) => expected.Size is { } e && actual.Size is { } a && e != a;

    private TensorShape Build(ShapePattern pattern) => new(pattern.Items.SelectMany(item =>
        item.Variadic is { } name
            ? _variadics.TryGetValue(name, out var dims) ? dims : new[] { Dim.Named("*" + name) }
            : new[] { Evaluate(item.Dim!) }).ToEquatableArray());

    private string Render(ShapePattern pattern) =>
        "[" + string.Join(", ", pattern.Items.Select(i => i.Variadic is { } v ? "*" + v : Evaluate(i.Dim!).ToString())) + "]";

    private Dim Evaluate(DimExpr expr)
    {
        switch (expr)
        {
            case NumberDim n:
                return Dim.Of(n.Value);
            case NameDim name:
                if (_arguments.TryGetValue(name.Name, out var value)) return value is IntValue i ? Dim.Of(i.Value) : Dim.Named(name.Name);
                return _symbols.TryGetValue(name.Name, out var bound) ? bound : Dim.Named(name.Name);
            case IndexDim index:
                return _arguments.TryGetValue(index.Name, out var list) && list is ListValue l && index.Index < l.Items.Count && l.Items[index.Index] is IntValue item
                    ? Dim.Of(item.Value)
                    : Dim.Named($"{index.Name}[{index.Index}]");
            case BinaryDim binary:
            {
                var left = Evaluate(binary.Left);
                var right = Evaluate(binary.Right);
                if (left.Size is { } a && right.Size is { } b && !(binary.Operator == '/' && b == 0))
                {
                    return Dim.Of(binary.Operator switch { '+' => a + b, '-' => a - b, '*' => a * b, _ => a / b });
                }
                // x·1, x/1, x+0 and x−0 are x: keeps `B * clones` as `B` when clones is 1.
                if ((binary.Operator is '*' or '/' && right.Size == 1) || (binary.Operator is '+' or '-' && right.Size == 0)) return left;
                if ((binary.Operator == '*' && left.Size == 1) || (binary.Operator == '+' && left.Size == 0)) return right;
                return Dim.Named($"({left}{binary.Operator}{right})");
            }
            default:
                return Dim.Named("?");
        }
    }
}
