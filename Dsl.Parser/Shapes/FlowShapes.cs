using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>Follows tensor shapes through one spec's flow as it binds: from the inputs through each call's [Shape]
/// rule, member, mask and arithmetic. Only what is known is checked.</summary>
internal sealed class FlowShapes
{
    private readonly DiagnosticSink _diagnostics;
    private readonly IReadOnlyDictionary<string, InputModel> _inputs;
    // A TensorShape, the shapes of a result's outputs, or absent when unknown.
    private readonly Dictionary<string, object> _valueShapes = new(StringComparer.Ordinal);
    private readonly Dictionary<Expr, object> _invokeShapes = new(ReferenceComparer<Expr>.Instance);
    private readonly Dictionary<string, ShapeRule?> _rules = new(StringComparer.Ordinal);
    // The batch symbol of the inputs is taken from the start.
    private readonly HashSet<string> _symbolNames = new(StringComparer.Ordinal) { "B" };

    public FlowShapes(DiagnosticSink diagnostics, IReadOnlyDictionary<string, InputModel> inputs)
    {
        _diagnostics = diagnostics;
        _inputs = inputs;
    }

    /// <summary>Remembers the shape of a flow value for later references to it.</summary>
    public void SetValueShape(string name, object shape) => _valueShapes[name] = shape;

    /// <summary>Applies the call's [Shape] rule to its inputs; false (reported) on a mismatch. <paramref name="symbols"/> are
    /// the sizes the inputs bound (<c>N</c>, <c>L</c>), for the rules that relate arguments to shapes.</summary>
    public bool CheckShapes(Invoke invoke, MethodSignature signature, string ruleKey, string calleeText, TextSpan calleeSpan, List<ArgumentSyntax> positional,
        ComponentModel instance, out IReadOnlyDictionary<string, Dim> symbols)
    {
        symbols = new Dictionary<string, Dim>();
        if (signature.ShapeRule is null) return true;
        if (!_rules.TryGetValue(ruleKey, out var rule))
        {
            rule = ShapeRuleParser.Parse(signature.ShapeRule, out var error);
            _rules[ruleKey] = rule;
            if (rule is null)
            {
                _diagnostics.Report(DiagnosticCodes.ShapeRule, calleeSpan, $"the shape rule of {(ruleKey.Contains('.') ? "call" : "component")} `{ruleKey}` ({instance.ClrType}) cannot be read: {error}", null);
                return false;
            }
        }
        if (rule is null) return true;
        var arguments = instance.Arguments.ToDictionary(a => a.Name, a => a.Value);
        var result = ShapeInference.Apply(rule, arguments, invoke.Inputs.Select(ShapeOf).ToList(), Fresh);
        if (result.Mismatch is not null)
        {
            _diagnostics.Report(DiagnosticCodes.ShapeMismatch, positional[result.MismatchInput].Span, $"`{calleeText}` {result.Mismatch}",
                result.TokenOff is { } off
                    ? $"the tokens are {(off > 0 ? "one more" : "one fewer")} than the mask keeps: {(off > 0 ? "drop the CLS token (`drop_cls(…)`) before this call" : "a CLS token was dropped that this call expects (`cls_token`)")}; `avdsl check --shapes` prints every value's shape"
                    : "follow the shapes back through the flow: `avdsl check --shapes` prints every value's shape");
            return false;
        }
        symbols = result.Symbols ?? symbols;
        if (result.Output is not null) _invokeShapes[invoke] = result.Output;
        else if (result.Members is not null) _invokeShapes[invoke] = result.Members;
        return true;
    }

    /// <summary>A symbol new to the spec: as written the first time (<c>K</c>), numbered after that (<c>K2</c>), so that
    /// two masks' kept tokens never pass for one another.</summary>
    private string Fresh(string symbol)
    {
        if (_symbolNames.Add(symbol)) return symbol;
        for (var i = 2; ; i++)
        {
            if (_symbolNames.Add(symbol + i)) return symbol + i;
        }
    }

    /// <summary>The shape of a bound expression where it can be followed; null when unknown or not a tensor.</summary>
    public object? ShapeOf(Expr expr)
    {
        switch (expr)
        {
            case InputRef input when _inputs.TryGetValue(input.Name, out var model):
                return new TensorShape(new[] { Dim.Named("B") }.Concat(model.Shape.Select(Dim.Of)).ToEquatableArray());
            case ValueRef value:
                return _valueShapes.TryGetValue(value.Name, out var shape) ? shape : null;
            case Invoke invoke:
                return _invokeShapes.TryGetValue(invoke, out var result) ? result : null;
            case MemberAccess member:
                return ShapeOf(member.Target) is IReadOnlyDictionary<string, TensorShape> members ? Member(members, member.Name) : null;
            case MaskSelect select:
                return ShapeOf(select.Target) is TensorShape t && ShapeOf(select.Mask) is TensorShape k && k.Rank <= t.Rank
                    ? new TensorShape(new[] { Dim.Named("M") }.Concat(t.Dims.Skip(k.Rank)).ToEquatableArray())
                    : null;
            case Negate negate:
                return ShapeOf(negate.Operand);
            // R samples drawn (at most the batch), each of the stored value's shape when it is known by now.
            case ReplayRead read:
            {
                var sample = _inputs.TryGetValue(read.Field, out var input) ? input.Shape.Select(Dim.Of)
                    : _valueShapes.TryGetValue(read.Field, out var stored) && stored is TensorShape { Rank: > 0 } storedShape ? storedShape.Dims.Skip(1) : null;
                return sample is null ? null : new TensorShape(new[] { Dim.Named("R") }.Concat(sample).ToEquatableArray());
            }
            case Binary binary:
            {
                var left = ShapeOf(binary.Left) as TensorShape;
                var right = ShapeOf(binary.Right) as TensorShape;
                return left is not null && right is not null ? Broadcast(left, right)
                    : binary.Left is Constant ? right : binary.Right is Constant ? left : null;
            }
            default:
                return null;
        }
    }

    /// <summary>A member's shape, or for a member that is itself a result (rule outputs <c>audio.probability</c>), its members.</summary>
    private static object? Member(IReadOnlyDictionary<string, TensorShape> members, string name)
    {
        if (members.TryGetValue(name, out var shape)) return shape;
        var prefix = name + ".";
        var nested = members.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(m => m.Key.Substring(prefix.Length), m => m.Value, StringComparer.Ordinal);
        return nested.Count > 0 ? nested : null;
    }

    /// <summary>PyTorch's broadcasting of two shapes; null when a pair of fixed sizes differs and neither is 1.</summary>
    public static TensorShape? Broadcast(TensorShape a, TensorShape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (var i = 1; i <= rank; i++)
        {
            var x = i <= a.Rank ? a.Dims[a.Rank - i] : Dim.Of(1);
            var y = i <= b.Rank ? b.Dims[b.Rank - i] : Dim.Of(1);
            if (x.Size is { } p && y.Size is { } q && p != q && p != 1 && q != 1) return null;
            dims[rank - i] = x.Size == 1 ? y : x;
        }
        return new TensorShape(dims.ToEquatableArray());
    }
}
