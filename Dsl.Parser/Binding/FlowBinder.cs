using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds the flow: values computed from inputs by component calls, teachers' copies, <c>.outputs</c>,
/// <c>x[mask]</c> and arithmetic, each with its value type and, where it can be followed, its shape.</summary>
internal sealed class FlowBinder
{
    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly ArgumentBinder _arguments;
    private readonly ComponentBinder _components;
    private readonly FlowShapes _shapes;
    private readonly ParamBinder _params;
    // Flow values that are draws from a replay buffer, by name: the buffer, whose fields `past.audio` reads.
    private readonly Dictionary<string, string> _replayDraws = new(StringComparer.Ordinal);

    public FlowBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, SpecScope scope, ArgumentBinder arguments, ComponentBinder components, FlowShapes shapes,
        ParamBinder @params)
    {
        _params = @params;
        _catalog = catalog;
        _diagnostics = diagnostics;
        _scope = scope;
        _arguments = arguments;
        _components = components;
        _shapes = shapes;
    }

    /// <summary>Binds <c>flow { … }</c>: each value in order, so that later values can use earlier ones.</summary>
    public List<FlowValue> BindFlow(IEnumerable<BindingSyntax> bindings)
    {
        var flow = new List<FlowValue>();
        foreach (var binding in bindings)
        {
            if (_scope.IsDeclared(binding.Name, binding.NameSpan)) continue;
            var value = BindExpression(binding.Value, binding.Name);
            if (value is null)
            {
                _scope.Failed.Add(binding.Name);
                _scope.UseEverythingIn(binding.Value);
                continue;
            }
            _scope.DeclareValue(binding.Name, value.Type, binding.NameSpan);
            if (value is ReplayDraw draw) _replayDraws[binding.Name] = draw.Buffer;
            var shape = _shapes.ShapeOf(value);
            if (shape is not null) _shapes.SetValueShape(binding.Name, shape);
            flow.Add(new FlowValue(binding.Name, value, Location(binding.NameSpan), (shape as TensorShape)?.ToString()));
        }
        return flow;
    }

    public Expr? BindExpression(ExpressionSyntax syntax, string owner)
    {
        switch (syntax)
        {
            case NumberSyntax number:
                return new Constant(number.Value);

            case NameSyntax name:
                if (_scope.Inputs.ContainsKey(name.Name)) return new InputRef(name.Name, ComponentCatalog.TensorType);
                if (_scope.Values.TryGetValue(name.Name, out var value))
                {
                    _scope.UseValue(name.Name);
                    return new ValueRef(name.Name, value.Type);
                }
                if (_scope.Failed.Contains(name.Name)) return null;
                if (_scope.IsHiddenValue(name.Name))
                {
                    Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is a flow value, and `eval` sees whole clips, not the training flow",
                        "compute it in `eval` from inputs and components, for example `tokens = encoder(patches(audio) + pos())`");
                    return null;
                }
                if (_scope.Instances.ContainsKey(name.Name) || _scope.Teachers.ContainsKey(name.Name))
                {
                    Report(DiagnosticCodes.ExpressionType, name.Span, $"component `{name.Name}` is used without being called", $"call it with its inputs: `{name.Name}(…)`");
                    return null;
                }
                if (_scope.Replays.ContainsKey(name.Name))
                {
                    Report(DiagnosticCodes.ExpressionType, name.Span, $"replay buffer `{name.Name}` is used without drawing from it", ReplayBinder.SampleHelp(name.Name));
                    return null;
                }
                if (_params.IsParam(name.Name)) return _params.Number(name);
                Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is not defined",
                    NearMiss.Help(name.Name, _scope.Inputs.Keys.Concat(_scope.Values.Keys).Concat(_scope.Instances.Keys).Concat(_params.Names),
                        "inputs, components, params and earlier flow values can be used here"));
                return null;

            case CallSyntax { Callee: NameSyntax callee } call:
                return BindCall(call, callee, owner);

            case CallSyntax { Callee: MemberSyntax callee } call:
                return BindMemberCall(call, callee, owner);

            case MemberSyntax { Target: NameSyntax component } member when _scope.Instances.TryGetValue(component.Name, out var instance):
                return BindSetting(component.Name, instance.Model, instance.Signature, member);

            case MemberSyntax member:
            {
                var target = BindExpression(member.Target, owner);
                if (target is null) return null;
                if (target.Type == ReplayDraw.SampleType) return BindReplayRead(target, member);
                var type = _catalog.FindType(target.Type);
                if (type is null)
                {
                    Report(DiagnosticCodes.UnknownMember, member.NameSpan, $"{DescribeType(target.Type)} has no outputs to select with `.{member.Name}`", null);
                    return null;
                }
                var selected = type.Members.FirstOrDefault(m => m.Name == member.Name);
                if (selected is null)
                {
                    Report(DiagnosticCodes.UnknownMember, member.NameSpan, $"{DescribeType(target.Type)} has no output `{member.Name}`",
                        NearMiss.Help(member.Name, type.Members.Select(m => m.Name), "its outputs are " + string.Join(", ", type.Members.Select(m => $"`{m.Name}`"))));
                    return null;
                }
                return new MemberAccess(target, selected.Name, selected.ClrName, selected.Type);
            }

            case IndexSyntax index:
            {
                var target = BindExpression(index.Target, owner);
                var mask = BindExpression(index.Index, owner);
                if (target is null || mask is null) return null;
                if (target.Type != ComponentCatalog.TensorType || mask.Type != ComponentCatalog.TensorType)
                {
                    Report(DiagnosticCodes.ExpressionType, index.Span, "`x[mask]` selects the rows of a tensor where a boolean mask tensor is true",
                        $"here the target is {DescribeType(target.Type)} and the index is {DescribeType(mask.Type)}");
                    return null;
                }
                if (_shapes.ShapeOf(target) is Shapes.TensorShape targetShape && _shapes.ShapeOf(mask) is Shapes.TensorShape maskShape
                    && (maskShape.Rank > targetShape.Rank || maskShape.Dims.Zip(targetShape.Dims, (m, t) => m.Size is { } a && t.Size is { } b && a != b).Any(x => x)))
                {
                    Report(DiagnosticCodes.ShapeMismatch, index.Span, $"a mask of shape {maskShape} cannot select rows of a tensor of shape {targetShape}",
                        "the mask's dimensions must be the tensor's leading dimensions");
                    return null;
                }
                return new MaskSelect(target, mask, ComponentCatalog.TensorType);
            }

            case BinarySyntax binary:
            {
                var left = BindExpression(binary.Left, owner);
                var right = BindExpression(binary.Right, owner);
                if (left is null || right is null) return null;
                if (left is Constant l && right is Constant r)
                {
                    return new Constant(binary.Operator switch { '+' => l.Value + r.Value, '-' => l.Value - r.Value, '*' => l.Value * r.Value, _ => l.Value / r.Value });
                }
                if (!IsArithmetic(left.Type) || !IsArithmetic(right.Type))
                {
                    Report(DiagnosticCodes.ExpressionType, binary.Span, $"`{binary.Operator}` needs tensors or numbers, found {DescribeType(left.Type)} and {DescribeType(right.Type)}", null);
                    return null;
                }
                if (_shapes.ShapeOf(left) is Shapes.TensorShape leftShape && _shapes.ShapeOf(right) is Shapes.TensorShape rightShape && FlowShapes.Broadcast(leftShape, rightShape) is null)
                {
                    Report(DiagnosticCodes.ShapeMismatch, binary.Span, $"`{binary.Operator}` cannot combine shapes {leftShape} and {rightShape}",
                        "sizes must be equal or 1, aligned from the last dimension");
                    return null;
                }
                return new Binary(binary.Operator, left, right, ComponentCatalog.TensorType);
            }

            case NegateSyntax negate:
            {
                var operand = BindExpression(negate.Operand, owner);
                if (operand is null) return null;
                if (!IsArithmetic(operand.Type))
                {
                    Report(DiagnosticCodes.ExpressionType, negate.Span, $"`-` needs a tensor or a number, found {DescribeType(operand.Type)}", null);
                    return null;
                }
                return operand is Constant c ? new Constant(-c.Value) : new Negate(operand, operand.Type);
            }

            default:
                Report(DiagnosticCodes.ExpressionType, syntax.Span, $"{ArgumentBinder.Describe(syntax)} cannot be used as a flow value",
                    "flow values are inputs, component calls, `.outputs`, `x[mask]` and arithmetic");
                return null;
        }
    }

    /// <summary><c>encoder.dim</c>: a fixed number argument of a component, read in the flow (a scale that follows it).</summary>
    private Expr? BindSetting(string name, ComponentModel model, ComponentSignature signature, MemberSyntax member)
    {
        var value = model.Find(member.Name)?.Value;
        var number = value switch { IntValue i => (double?)i.Value, DoubleValue d => d.Value, _ => null };
        if (number is { } n) return new SettingRef(name, member.Name, n);
        var numbers = signature.Parameters.Where(p => p.Kind is ParameterKind.Int or ParameterKind.Long or ParameterKind.Double).Select(p => p.Name).ToList();
        Report(DiagnosticCodes.UnknownMember, member.NameSpan,
            value is null ? $"component `{name}` has no argument `{member.Name}`" : $"`{name}.{member.Name}` is not a fixed number, so it cannot be used in the flow",
            numbers.Count == 0 ? $"`{name}` has no number arguments" : NearMiss.Help(member.Name, numbers, "its number arguments are " + string.Join(", ", numbers.Select(p => $"`{p}`"))));
        return null;
    }

    private Expr? BindCall(CallSyntax call, NameSyntax callee, string owner)
    {
        if (callee.Name == "sqrt")
        {
            if (call.Arguments.Count == 1 && call.Arguments[0].Name is null)
            {
                var operand = BindExpression(call.Arguments[0].Value, owner);
                if (operand is null) return null; // reported already
                if (operand.Type == Expr.NumberType) return new Sqrt(operand);
            }
            Report(DiagnosticCodes.ExpressionType, call.Span, "`sqrt` takes one number", "for example `sqrt(768)` or `sqrt(encoder.dim)`");
            return null;
        }

        ComponentSignature signature;
        string instanceName;
        var named = call.Arguments.Where(a => a.Name is not null).ToList();
        var positional = call.Arguments.Where(a => a.Name is null).ToList();
        if (_scope.Instances.TryGetValue(callee.Name, out var instance))
        {
            if (named.Count > 0)
            {
                Report(DiagnosticCodes.UnknownArgument, named[0].NameSpan, $"`{callee.Name}` is already configured; a call passes inputs only",
                    $"set `{named[0].Name}` where `{callee.Name}` is declared");
                return null;
            }
            signature = instance.Signature;
            instanceName = callee.Name;
        }
        else if (_catalog.Find(callee.Name) is { } component)
        {
            if (positional.Count > component.Inputs.Count && PositionalArguments.LooksLikeArgument(positional[component.Inputs.Count].Value, _scope, _catalog))
            {
                var extra = positional[component.Inputs.Count];
                var (message, candidates) = PositionalArguments.Explain(callee.Name, extra.Value, component.Parameters.ToList(), named.Select(a => a.Name));
                var inputs = component.Inputs.Count == 0 ? "no inputs" : $"{component.Inputs.Count} input{(component.Inputs.Count == 1 ? "" : "s")} ({string.Join(", ", component.Inputs.Select(i => i.Name))})";
                Report(DiagnosticCodes.Syntax, extra.Span, message, (candidates is null ? "" : candidates + "; ") + $"`{callee.Name}` takes {inputs} by position, its arguments by name");
                foreach (var input in positional.Take(component.Inputs.Count)) BindExpression(input.Value, owner);
                return null;
            }
            // A component called in the flow is declared on the spot, named after the value it computes.
            signature = component;
            var arguments = _arguments.Bind(callee.Name, callee.Span, component.Parameters.ToList(), named, component.Constraints, followParams: true);
            if (arguments is null) return null;
            instanceName = _scope.UniqueInstanceName($"{owner}_{component.Name}");
            var model = new ComponentModel(instanceName, component.Name, component.ClrType, arguments.Value, Inline: true, Location(callee.Span));
            _scope.DeclareInstance(model, component, callee.Span);
        }
        else
        {
            if (!_scope.Failed.Contains(callee.Name)) _components.ReportUnknownComponent(callee);
            // The inputs may hold errors of their own; report them too.
            foreach (var input in positional) BindExpression(input.Value, owner);
            return null;
        }

        _scope.UseInstance(instanceName);
        return BindInputs(call, callee.Name, instanceName, signature.Name, DefaultCall(signature), positional, owner, teacher: null);
    }

    private static MethodSignature DefaultCall(ComponentSignature signature) =>
        new(string.Empty, "Forward", signature.Inputs, signature.OutputType, signature.ShapeRule, signature.Constraints);

    /// <summary><c>encoder.layers(x)</c> (a further call of a component), <c>teacher.encoder(x)</c> (a teacher's copy)
    /// and <c>teacher.encoder.layers(x)</c>.</summary>
    private Expr? BindMemberCall(CallSyntax call, MemberSyntax callee, string owner)
    {
        var text = CalleeText(callee);
        var named = call.Arguments.FirstOrDefault(a => a.Name is not null);
        if (named is not null)
        {
            Report(DiagnosticCodes.UnknownArgument, named.NameSpan, $"`{text}` is already configured; a call passes inputs only", $"set `{named.Name}` where the component is declared");
            return null;
        }
        string? teacher = null;
        string instance;
        string? method = null;
        switch (callee.Target)
        {
            case NameSyntax target when _scope.Teachers.TryGetValue(target.Name, out var t):
                teacher = target.Name;
                instance = callee.Name;
                if (!Copies(t.Model, instance, callee.NameSpan)) return null;
                break;
            case NameSyntax target when _scope.Instances.ContainsKey(target.Name):
                instance = target.Name;
                method = callee.Name;
                break;
            case MemberSyntax { Target: NameSyntax outer } inner when _scope.Teachers.TryGetValue(outer.Name, out var t):
                teacher = outer.Name;
                instance = inner.Name;
                method = callee.Name;
                if (!Copies(t.Model, instance, inner.NameSpan)) return null;
                break;
            case NameSyntax target when _scope.Replays.TryGetValue(target.Name, out var replay):
                return BindReplayDraw(call, callee, replay.Declaration, owner);
            case var _ when RootName(callee) is { } root && _scope.Failed.Contains(root):
                return null;
            default:
                Report(DiagnosticCodes.ExpressionType, callee.Span, $"`{text}` cannot be called",
                    "call a component (`encoder(x)`), one of its further calls (`encoder.layers(x)`) or a teacher's copy (`teacher.encoder(x)`)");
                return null;
        }
        var signature = _scope.Instances[instance].Signature;
        var chosen = DefaultCall(signature);
        if (method is not null)
        {
            var found = signature.FindMethod(method);
            if (found is null)
            {
                Report(DiagnosticCodes.UnknownMember, callee.NameSpan, $"component `{signature.Name}` has no call `.{method}`",
                    signature.Methods.Count == 0 ? $"call it as `{instance}(…)`" : NearMiss.Help(method, signature.Methods.Select(m => m.Name), "its calls are " + string.Join(", ", signature.Methods.Select(m => $"`.{m.Name}`"))));
                return null;
            }
            chosen = found;
        }
        _scope.UseInstance(instance);
        if (teacher is not null) _scope.UseInstance(teacher);
        var positional = call.Arguments.ToList();
        return BindInputs(call, text, instance, signature.Name + (method is null ? "" : "." + method), chosen, positional, owner, teacher, method);
    }

    /// <summary><c>memory.sample(audio)</c>: a draw of as many stored samples as the one input has rows.</summary>
    private Expr? BindReplayDraw(CallSyntax call, MemberSyntax callee, ReplayDeclaration replay, string owner)
    {
        if (callee.Name != "sample")
        {
            Report(DiagnosticCodes.UnknownMember, callee.NameSpan, $"replay buffer `{replay.Name}` has no call `.{callee.Name}`", ReplayBinder.SampleHelp(replay.Name));
            return null;
        }
        if (call.Arguments.Count != 1)
        {
            Report(DiagnosticCodes.InputCount, call.Span, $"`{replay.Name}.sample` takes one input, the batch whose row count it draws, found {call.Arguments.Count}", ReplayBinder.SampleHelp(replay.Name));
            return null;
        }
        var like = BindExpression(call.Arguments[0].Value, owner);
        if (like is null) return null;
        if (like.Type != ComponentCatalog.TensorType)
        {
            Report(DiagnosticCodes.ExpressionType, call.Arguments[0].Span, $"`{replay.Name}.sample` counts the rows of a tensor, found {DescribeType(like.Type)}", ReplayBinder.SampleHelp(replay.Name));
            return null;
        }
        _scope.UseInstance(replay.Name);
        return new ReplayDraw(replay.Name, like);
    }

    /// <summary><c>past.audio</c>: a field a replay buffer stores, of the samples drawn.</summary>
    private Expr? BindReplayRead(Expr target, MemberSyntax member)
    {
        var buffer = target switch
        {
            ReplayDraw draw => draw.Buffer,
            ValueRef value => _replayDraws.TryGetValue(value.Name, out var name) ? name : null,
            _ => null,
        };
        if (buffer is null || !_scope.Replays.TryGetValue(buffer, out var replay)) return null;
        if (replay.Declaration.StoresName(member.Name)) return new ReplayRead(target, buffer, member.Name);
        var stores = replay.Declaration.Stores.Select(s => s.Name).ToList();
        Report(DiagnosticCodes.UnknownMember, member.NameSpan, $"replay buffer `{buffer}` stores no `{member.Name}`",
            NearMiss.Help(member.Name, stores, "it stores " + string.Join(", ", stores.Select(s => $"`{s}`"))));
        return null;
    }

    /// <summary>Whether the teacher copies the instance; reported at <paramref name="span"/> when not.</summary>
    private bool Copies(TeacherModel teacher, string instance, TextSpan span)
    {
        if (teacher.Of.Contains(instance)) return true;
        Report(DiagnosticCodes.UnknownMember, span, $"teacher `{teacher.Name}` has no copy of `{instance}`",
            NearMiss.Help(instance, teacher.Of, "it copies " + string.Join(", ", teacher.Of.Select(o => $"`{o}`"))));
        return false;
    }

    private static string? RootName(ExpressionSyntax callee) => callee switch
    {
        NameSyntax name => name.Name,
        MemberSyntax member => RootName(member.Target),
        _ => null,
    };

    private static string CalleeText(ExpressionSyntax callee) => callee switch
    {
        NameSyntax name => name.Name,
        MemberSyntax member => CalleeText(member.Target) + "." + member.Name,
        _ => ArgumentBinder.Describe(callee),
    };

    private Expr? BindInputs(CallSyntax call, string calleeText, string instanceName, string ruleKey, MethodSignature signature,
        List<ArgumentSyntax> positional, string owner, string? teacher, string? method = null)
    {
        if (positional.Count != signature.Inputs.Count)
        {
            var expected = string.Join(", ", signature.Inputs.Select(i => i.Name));
            Report(DiagnosticCodes.InputCount, call.Span,
                $"`{calleeText}` takes {signature.Inputs.Count} input{(signature.Inputs.Count == 1 ? "" : "s")}, given {positional.Count}",
                signature.Inputs.Count == 0 ? $"call it as `{calleeText}()`" : $"its inputs are ({expected})");
            return null;
        }
        var inputs = new List<Expr>();
        var ok = true;
        for (var i = 0; i < positional.Count; i++)
        {
            var bound = BindExpression(positional[i].Value, owner);
            if (bound is null)
            {
                ok = false;
                continue;
            }
            var expected = signature.Inputs[i];
            if (!Accepts(expected.Type, bound.Type))
            {
                Report(DiagnosticCodes.ExpressionType, positional[i].Span,
                    $"input `{expected.Name}` of `{calleeText}` must be {DescribeType(expected.Type)}, found {DescribeType(bound.Type)}", null);
                ok = false;
                continue;
            }
            inputs.Add(bound);
        }
        if (!ok) return null;
        var invoke = new Invoke(instanceName, inputs.ToEquatableArray(), signature.OutputType, method, teacher);
        var instance = _scope.Instances[instanceName];
        if (!_shapes.CheckShapes(invoke, signature, ruleKey, calleeText, call.Callee.Span, positional, instance.Model, out var symbols)) return null;
        var given = instance.Model.Inline
            ? call.Arguments.Where(a => a.Name is not null).GroupBy(a => a.Name!).ToDictionary(g => g.Key, g => g.First().Value.Span, StringComparer.Ordinal)
            : new Dictionary<string, TextSpan>(StringComparer.Ordinal);
        _arguments.Constraints.CheckCall(instance.Signature.Name, call.Callee.Span, signature.Constraints, instance.Signature.Parameters, instance.Model.Arguments, symbols, given);
        return invoke;
    }

    private static bool IsArithmetic(string type) => type == ComponentCatalog.TensorType || type == Expr.NumberType;

    private static bool Accepts(string parameterType, string valueType) => parameterType == valueType;

    public static string DescribeType(string type) => type switch
    {
        ComponentCatalog.TensorType => "a tensor",
        Expr.NumberType => "a number",
        _ => $"a `{type.Substring(type.LastIndexOf('.') + 1)}`",
    };

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
