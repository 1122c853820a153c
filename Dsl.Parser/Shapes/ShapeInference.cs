using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>The outcome of applying a shape rule: the output shape (or the shapes of a result's outputs) and the
/// symbols the inputs bound, or the first input that does not fit.</summary>
/// <param name="TokenOff">For a mismatch between one symbol met with two offsets (<c>K+1</c> where <c>K</c> was bound): the
/// first minus the second, which is ±1 when a CLS token was added or dropped on one path only.</param>
public sealed record ShapeResult(TensorShape? Output, IReadOnlyDictionary<string, TensorShape>? Members, int MismatchInput = -1, string? Mismatch = null,
    IReadOnlyDictionary<string, Dim>? Symbols = null, long? TokenOff = null);

/// <summary>Applies a component's shape rule to the shapes of its inputs. Only what is known is checked: two fixed
/// sizes that differ, a rank that cannot fit, or one symbol met as two different dimensions (<c>K</c> and <c>K+1</c>)
/// are mismatches. A symbol an output names that no input bound is new to the spec (a mask's <c>K</c>).</summary>
public sealed class ShapeInference
{
    private readonly IReadOnlyDictionary<string, Value> _arguments;
    private readonly Func<string, string> _fresh;
    private readonly Dictionary<string, Dim> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dim[]> _variadics = new(StringComparer.Ordinal);
    // The input that bound each variadic, to name it when another input disagrees.
    private readonly Dictionary<string, string> _variadicInputs = new(StringComparer.Ordinal);

    private ShapeInference(IReadOnlyDictionary<string, Value> arguments, Func<string, string> fresh)
    {
        _arguments = arguments;
        _fresh = fresh;
    }

    /// <param name="inputs">Each input in order: a <see cref="TensorShape"/>, the shapes of a result's outputs by name, or
    /// null where it is unknown or not a tensor.</param>
    /// <param name="fresh">Names a symbol an output introduces, so that two masks' <c>K</c> stay apart; by default as written.</param>
    public static ShapeResult Apply(ShapeRule rule, IReadOnlyDictionary<string, Value> arguments, IReadOnlyList<object?> inputs, Func<string, string>? fresh = null)
    {
        var inference = new ShapeInference(arguments, fresh ?? (name => name));
        // Several patterns may read one result input (`selection.visible_indices`, `selection.target_indices`): an entry's
        // input is its name's position among the distinct names, in order.
        var names = new List<string>();
        for (var entry = 0; entry < rule.Inputs.Count; entry++)
        {
            var (name, pattern) = rule.Inputs[entry];
            var dot = name.IndexOf('.');
            var owner = dot < 0 ? name : name.Substring(0, dot);
            var i = names.IndexOf(owner);
            if (i < 0)
            {
                names.Add(owner);
                i = names.Count - 1;
            }
            if (pattern is null || i >= inputs.Count) continue;
            var input = dot < 0 ? inputs[i]
                : inputs[i] is IReadOnlyDictionary<string, TensorShape> members && members.TryGetValue(name.Substring(dot + 1), out var member) ? member : null;
            if (input is not TensorShape shape) continue; // unknown: the other inputs still bind what they can
            var problem = inference.Match(pattern, shape, name);
            if (problem is not null)
            {
                return new ShapeResult(null, null, i, $"expects `{name}` as {inference.Render(pattern)}, but it is {shape}{problem}", TokenOff: inference._offBy);
            }
        }
        var result = rule.Output is not null
            ? new ShapeResult(inference.Build(rule.Output), null)
            : new ShapeResult(null, rule.Members.ToDictionary(m => m.Member, m => inference.Build(m.Pattern)));
        return result with { Symbols = inference._symbols };
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

    /// <summary>Two sizes that differ, or two symbolic dimensions that differ; a size against a symbol is not judged.</summary>
    private bool Conflict(Dim expected, Dim actual)
    {
        if (expected.IsKnown || actual.IsKnown) return expected.IsKnown && actual.IsKnown && expected.Size != actual.Size;
        if (expected == actual) return false;
        if (expected.Symbol == actual.Symbol) _offBy = expected.Offset - actual.Offset;
        return true;
    }

    private long? _offBy;

    private TensorShape Build(ShapePattern pattern)
    {
        foreach (var item in pattern.Items) BindNew(item.Dim);
        return new(pattern.Items.SelectMany(item =>
            item.Variadic is { } name
                ? _variadics.TryGetValue(name, out var dims) ? dims : new[] { Dim.Named("*" + name) }
                : new[] { Evaluate(item.Dim!) }).ToEquatableArray());
    }

    /// <summary>Gives each symbol an output introduces its name in the spec.</summary>
    private void BindNew(DimExpr? expr)
    {
        switch (expr)
        {
            case NameDim { Name: var name } when !_arguments.ContainsKey(name) && !_symbols.ContainsKey(name):
                _symbols[name] = Dim.Named(_fresh(name));
                break;
            case BinaryDim binary:
                BindNew(binary.Left);
                BindNew(binary.Right);
                break;
        }
    }

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
                // x·1 and x/1 are x: keeps `B * clones` as `B` when clones is 1; K + 1 - 1 is K.
                if (binary.Operator is '*' or '/' && right.Size == 1) return left;
                if (binary.Operator == '*' && left.Size == 1) return right;
                if (binary.Operator is '+' or '-') return left.Add(right, binary.Operator == '+' ? 1 : -1);
                return Dim.Named($"({left}{binary.Operator}{right})");
            }
            default:
                return Dim.Named("?");
        }
    }
}
