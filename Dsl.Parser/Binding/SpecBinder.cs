using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Resolves a spec's syntax against the component catalog into the <see cref="Spec"/> model: names,
/// arguments and their types, flow wiring and value types, training settings. Every key is consumed or reported.</summary>
public sealed class SpecBinder
{
    private readonly ComponentCatalog _catalog;
    private readonly SourceSet _sources;
    private readonly DiagnosticSink _diagnostics;
    private readonly ArgumentBinder _arguments;

    private readonly Dictionary<string, InputModel> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ComponentModel Model, ComponentSignature Signature, TextSpan NameSpan)> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Type, TextSpan NameSpan)> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedInstances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);
    private readonly List<ComponentModel> _components = new();
    private readonly Dictionary<string, (TeacherModel Model, TextSpan NameSpan)> _teachers = new(StringComparer.Ordinal);
    // Flow values out of reach while `eval { embed: … }` binds.
    private List<string>? _hiddenValues;
    // Shapes followed through the flow: a TensorShape, the shapes of a result's outputs, or absent when unknown.
    private readonly Dictionary<string, object> _valueShapes = new(StringComparer.Ordinal);
    private readonly Dictionary<Expr, object> _invokeShapes = new(ReferenceComparer<Expr>.Instance);
    private readonly Dictionary<string, Shapes.ShapeRule?> _rules = new(StringComparer.Ordinal);

    // Names whose declaration failed: uses of them are not reported again (one error, not a cascade).
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    private SpecBinder(ComponentCatalog catalog, SourceSet sources)
    {
        _catalog = catalog;
        _sources = sources;
        _diagnostics = new DiagnosticSink(sources);
        _arguments = new ArgumentBinder(_diagnostics);
    }

    /// <summary>Binds one spec; the model is null when any error was reported.</summary>
    public static (Spec? Spec, IReadOnlyList<Diagnostic> Diagnostics) Bind(SpecSyntax syntax, SourceSet sources, ComponentCatalog catalog, SpecVariant? variant = null)
    {
        var binder = new SpecBinder(catalog, sources);
        var spec = binder.BindSpec(syntax);
        if (spec is not null && variant is not null) spec = spec with { Variant = variant };
        var diagnostics = binder._diagnostics.Reported.OrderBy(d => d.Span.Start).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
        return (diagnostics.Any(d => d.IsError) ? null : spec, diagnostics);
    }

    private Spec? BindSpec(SpecSyntax syntax)
    {
        var metadata = BindMetadata(syntax.Members.OfType<MetadataSyntax>());
        foreach (var input in syntax.Members.OfType<InputSyntax>()) BindInput(input);
        var instances = syntax.Members.OfType<InstanceSyntax>().ToList();
        foreach (var instance in instances.Where(i => !IsTeacher(i))) BindInstance(instance);
        // Teachers copy student components, so they bind once every component is known.
        foreach (var instance in instances.Where(IsTeacher)) BindTeacher(instance);

        var flow = new List<FlowValue>();
        foreach (var binding in syntax.Members.OfType<FlowSyntax>().SelectMany(f => f.Bindings))
        {
            if (IsDeclared(binding.Name, binding.NameSpan)) continue;
            var value = BindExpression(binding.Value, binding.Name);
            if (value is null)
            {
                _failed.Add(binding.Name);
                continue;
            }
            _values[binding.Name] = (value.Type, binding.NameSpan);
            var shape = ShapeOf(value);
            if (shape is not null) _valueShapes[binding.Name] = shape;
            flow.Add(new FlowValue(binding.Name, value, Location(binding.NameSpan), (shape as Shapes.TensorShape)?.ToString()));
        }

        var losses = new List<LossTerm>();
        var lossNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var loss in syntax.Members.OfType<LossSyntax>())
        {
            if (!lossNames.Add(loss.Name) || _values.ContainsKey(loss.Name))
            {
                Report(DiagnosticCodes.Duplicate, loss.NameSpan, $"`{loss.Name}` is declared twice", "give each loss term its own name");
                continue;
            }
            var value = BindExpression(loss.Value, loss.Name);
            if (value is null) continue;
            if (value.Type != ComponentCatalog.TensorType)
            {
                Report(DiagnosticCodes.ExpressionType, loss.Value.Span, $"loss `{loss.Name}` must be a tensor, found {DescribeType(value.Type)}",
                    "a loss term is the output of a loss component such as `mse(prediction, target)`, optionally scaled");
                continue;
            }
            losses.Add(new LossTerm(loss.Name, value, Location(loss.NameSpan)));
        }
        if (!syntax.Members.OfType<LossSyntax>().Any())
        {
            Report(DiagnosticCodes.NoLoss, syntax.NameSpan, $"spec `{syntax.Name}` has no loss", "add a term such as `loss recon = mse(pred, target)`");
        }

        var training = BindTraining(syntax);
        var data = BindData(syntax);
        var eval = BindEval(syntax);
        ReportUnused();

        return training is null || data is null
            ? null
            : new Spec(syntax.Name, _sources.FileOf(syntax.NameSpan.Start).Path, Line(syntax.NameSpan), metadata, _inputs.Values.OrderBy(i => i.Location.Line).ToEquatableArray(),
                _components.ToEquatableArray(), flow.ToEquatableArray(), losses.ToEquatableArray(), training, data,
                Teachers: _teachers.Values.Select(t => t.Model).ToEquatableArray(), Eval: eval);
    }

    private SpecMetadata BindMetadata(IEnumerable<MetadataSyntax> entries)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (seen.ContainsKey(entry.Key))
            {
                Report(DiagnosticCodes.Duplicate, entry.KeySpan, $"`{entry.Key}` is given twice", "keep one");
                continue;
            }
            seen[entry.Key] = entry.Value.Value;
        }
        string? Get(string key) => seen.TryGetValue(key, out var v) ? v : null;
        return new SpecMetadata(Get("title"), Get("cite"), Get("source"), Get("version"));
    }

    private void BindInput(InputSyntax input)
    {
        if (IsDeclared(input.Name, input.NameSpan)) return;
        _failed.Add(input.Name);
        var kind = ((NameSyntax)input.Features.Callee).Name;
        if (!LanguageFunctions.Features.TryGetValue(kind, out var signature))
        {
            ReportUnknownFunction(input.Features.Callee.Span, kind, "feature kind", LanguageFunctions.Features.Keys);
            return;
        }
        var positional = input.Features.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            Report(DiagnosticCodes.Syntax, positional.Span, $"`{kind}` takes named settings only", "write `name: value`");
            return;
        }
        var settings = _arguments.Bind(kind, input.Features.Callee.Span, signature.Parameters, input.Features.Arguments);
        if (settings is null) return;
        long Setting(string name) => ((IntValue)settings.Value.First(a => a.Name == name).Value).Value;
        // The shape of one example; the batch dimension is added where shapes are followed.
        var shape = kind == "fbank"
            ? new[] { Setting("frames"), Setting("mel") }
            : new[] { 3, Setting("count"), Setting("size"), Setting("size") };
        _failed.Remove(input.Name);
        _inputs[input.Name] = new InputModel(input.Name, kind, settings.Value, shape.ToEquatableArray(), Location(input.NameSpan));
    }

    private void BindInstance(InstanceSyntax instance)
    {
        if (IsDeclared(instance.Name, instance.NameSpan)) return;
        _failed.Add(instance.Name);
        var callee = (NameSyntax)instance.Constructor.Callee;
        var signature = _catalog.Find(callee.Name);
        if (signature is null)
        {
            ReportUnknownComponent(callee);
            return;
        }
        var positional = instance.Constructor.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            Report(DiagnosticCodes.Syntax, positional.Span, $"arguments of `{callee.Name}` must be named",
                "write `name: value`; inputs are passed where the component is called in the flow");
            return;
        }
        var arguments = _arguments.Bind(callee.Name, callee.Span, signature.Parameters.ToList(), instance.Constructor.Arguments);
        if (arguments is null) return;
        var model = new ComponentModel(instance.Name, signature.Name, signature.ClrType, arguments.Value, Inline: false, Location(instance.NameSpan));
        _instances[instance.Name] = (model, signature, instance.NameSpan);
        _components.Add(model);
        _failed.Remove(instance.Name);
    }

    /// <summary><c>teacher = ema(of: [patches, encoder], decay: …)</c>: the language's EMA teacher, not a catalog component.</summary>
    private bool IsTeacher(InstanceSyntax instance) =>
        instance.Constructor.Callee is NameSyntax { Name: "ema" } && _catalog.Find("ema") is null;

    private void BindTeacher(InstanceSyntax instance)
    {
        if (IsDeclared(instance.Name, instance.NameSpan)) return;
        _failed.Add(instance.Name);
        var callee = instance.Constructor.Callee;
        var settings = new Dictionary<string, ArgumentSyntax>(StringComparer.Ordinal);
        var ok = true;
        foreach (var argument in instance.Constructor.Arguments)
        {
            if (argument.Name is null)
            {
                Report(DiagnosticCodes.Syntax, argument.Span, "arguments of `ema` must be named", "write `ema(of: [encoder], decay: linear(from: 0.999, to: 0.9999))`");
                ok = false;
            }
            else if (argument.Name is not ("of" or "decay"))
            {
                Report(DiagnosticCodes.UnknownArgument, argument.NameSpan, $"`ema` has no argument `{argument.Name}`", NearMiss.Help(argument.Name, new[] { "of", "decay" }, "its arguments are `of` and `decay`"));
                ok = false;
            }
            else if (settings.ContainsKey(argument.Name))
            {
                Report(DiagnosticCodes.Duplicate, argument.NameSpan, $"`{argument.Name}` is given twice", "keep one");
                ok = false;
            }
            else settings[argument.Name] = argument;
        }
        foreach (var required in new[] { "of", "decay" }.Where(r => !settings.ContainsKey(r)))
        {
            Report(DiagnosticCodes.MissingArgument, callee.Span, $"`ema` needs `{required}`",
                required == "of" ? "list the student components the teacher copies: `of: [patches, encoder]`" : "a number or a schedule: `decay: linear(from: 0.9998, to: 0.99999, over: 100000)`");
            ok = false;
        }
        if (!ok) return;

        var of = new List<string>();
        if (settings["of"].Value is not ListSyntax { Items.Count: > 0 } list || list.Items.Any(i => i is not NameSyntax))
        {
            Report(DiagnosticCodes.ArgumentType, settings["of"].Value.Span, "`of` must list component names, such as `[patches, encoder]`", null);
            return;
        }
        foreach (var item in list.Items.Cast<NameSyntax>())
        {
            if (_failed.Contains(item.Name)) return;
            if (!_instances.TryGetValue(item.Name, out var student))
            {
                Report(DiagnosticCodes.UnknownName, item.Span, $"`{item.Name}` is not a component",
                    NearMiss.Help(item.Name, _instances.Keys, "a teacher copies components declared in this spec"));
                return;
            }
            if (of.Contains(item.Name))
            {
                Report(DiagnosticCodes.Duplicate, item.Span, $"`{item.Name}` is listed twice", "keep one");
                return;
            }
            of.Add(item.Name);
        }
        var decaySyntax = settings["decay"].Value;
        var decay = decaySyntax is NumberSyntax constant
            ? new FunctionModel("constant", new[] { new Argument("value", new DoubleValue(constant.Value)) }.ToEquatableArray())
            : BindFunction(decaySyntax, "schedule", LanguageFunctions.Schedules);
        if (decay is null) return;
        _teachers[instance.Name] = (new TeacherModel(instance.Name, of.ToEquatableArray(), decay, Location(instance.NameSpan)), instance.NameSpan);
        _failed.Remove(instance.Name);
    }

    private EvalModel? BindEval(SpecSyntax spec)
    {
        var block = SingleBlock(spec, "eval");
        if (block is null) return null;
        var settings = Settings(block, "embed");
        if (!settings.TryGetValue("embed", out var embed))
        {
            Report(DiagnosticCodes.MissingSetting, block.KindSpan, "`eval` needs `embed`",
                "the clip embedding probes and fine-tuning use, for example `embed: mean_tokens(encoder(patches(audio) + pos()))`");
            return null;
        }
        // The embedding sees whole clips: only inputs and components, not flow values (those may be masked).
        var value = BindEmbedding(embed.Value);
        if (value is null) return null;
        if (value.Type != ComponentCatalog.TensorType)
        {
            Report(DiagnosticCodes.ExpressionType, embed.Value.Span, $"`embed` must be a tensor, found {DescribeType(value.Type)}", "end with a pooling such as `mean_tokens(...)` or `take_cls(...)`");
            return null;
        }
        if (ShapeOf(value) is Shapes.TensorShape shape && shape.Rank != 2)
        {
            Report(DiagnosticCodes.ShapeMismatch, embed.Value.Span, $"`embed` must give one vector per clip, [B, D], found {shape}", "pool the tokens, for example with `mean_tokens(...)`");
            return null;
        }
        return new EvalModel(value, Location(embed.KeySpan));
    }

    private Expr? BindEmbedding(ExpressionSyntax syntax)
    {
        var hidden = _values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        _values.Clear();
        _hiddenValues = hidden.Keys.ToList();
        try
        {
            return BindExpression(syntax, "embed");
        }
        finally
        {
            _hiddenValues = null;
            foreach (var (name, value) in hidden) _values[name] = value;
        }
    }

    private Expr? BindExpression(ExpressionSyntax syntax, string owner)
    {
        switch (syntax)
        {
            case NumberSyntax number:
                return new Constant(number.Value);

            case NameSyntax name:
                if (_inputs.ContainsKey(name.Name)) return new InputRef(name.Name, ComponentCatalog.TensorType);
                if (_values.TryGetValue(name.Name, out var value))
                {
                    _usedValues.Add(name.Name);
                    return new ValueRef(name.Name, value.Type);
                }
                if (_failed.Contains(name.Name)) return null;
                if (_hiddenValues?.Contains(name.Name) == true)
                {
                    Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is a flow value, and `embed` sees whole clips, not the training flow",
                        "compute the embedding from inputs and components, for example `mean_tokens(encoder(patches(audio) + pos()))`");
                    return null;
                }
                if (_instances.ContainsKey(name.Name) || _teachers.ContainsKey(name.Name))
                {
                    Report(DiagnosticCodes.ExpressionType, name.Span, $"component `{name.Name}` is used without being called", $"call it with its inputs: `{name.Name}(…)`");
                    return null;
                }
                Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is not defined",
                    NearMiss.Help(name.Name, _inputs.Keys.Concat(_values.Keys).Concat(_instances.Keys), "inputs, components and earlier flow values can be used here"));
                return null;

            case CallSyntax { Callee: NameSyntax callee } call:
                return BindCall(call, callee, owner);

            case CallSyntax { Callee: MemberSyntax callee } call:
                return BindMemberCall(call, callee, owner);

            case MemberSyntax member:
            {
                var target = BindExpression(member.Target, owner);
                if (target is null) return null;
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
                if (ShapeOf(target) is Shapes.TensorShape targetShape && ShapeOf(mask) is Shapes.TensorShape maskShape
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
                if (ShapeOf(left) is Shapes.TensorShape leftShape && ShapeOf(right) is Shapes.TensorShape rightShape && Broadcast(leftShape, rightShape) is null)
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

    private Expr? BindCall(CallSyntax call, NameSyntax callee, string owner)
    {
        if (callee.Name == "sqrt")
        {
            if (call.Arguments.Count == 1 && call.Arguments[0].Name is null && BindExpression(call.Arguments[0].Value, owner) is Constant c)
            {
                return new Constant(Math.Sqrt(c.Value));
            }
            Report(DiagnosticCodes.ExpressionType, call.Span, "`sqrt` takes one number", "for example `sqrt(768)`");
            return null;
        }

        ComponentSignature signature;
        string instanceName;
        var named = call.Arguments.Where(a => a.Name is not null).ToList();
        var positional = call.Arguments.Where(a => a.Name is null).ToList();
        if (_instances.TryGetValue(callee.Name, out var instance))
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
            // A component called in the flow is declared on the spot, named after the value it computes.
            signature = component;
            var arguments = _arguments.Bind(callee.Name, callee.Span, component.Parameters.ToList(), named);
            if (arguments is null) return null;
            instanceName = UniqueInstanceName($"{owner}_{component.Name}");
            var model = new ComponentModel(instanceName, component.Name, component.ClrType, arguments.Value, Inline: true, Location(callee.Span));
            _instances[instanceName] = (model, component, callee.Span);
            _components.Add(model);
        }
        else
        {
            if (!_failed.Contains(callee.Name)) ReportUnknownComponent(callee);
            // The inputs may hold errors of their own; report them too.
            foreach (var input in positional) BindExpression(input.Value, owner);
            return null;
        }

        _usedInstances.Add(instanceName);
        return BindInputs(call, callee.Name, instanceName, signature.Name, DefaultCall(signature), positional, owner, teacher: null);
    }

    private static MethodSignature DefaultCall(ComponentSignature signature) =>
        new(string.Empty, "Forward", signature.Inputs, signature.OutputType, signature.ShapeRule);

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
            case NameSyntax target when _teachers.TryGetValue(target.Name, out var t):
                teacher = target.Name;
                instance = callee.Name;
                if (!Copies(t.Model, instance, callee.NameSpan)) return null;
                break;
            case NameSyntax target when _instances.ContainsKey(target.Name):
                instance = target.Name;
                method = callee.Name;
                break;
            case MemberSyntax { Target: NameSyntax outer } inner when _teachers.TryGetValue(outer.Name, out var t):
                teacher = outer.Name;
                instance = inner.Name;
                method = callee.Name;
                if (!Copies(t.Model, instance, inner.NameSpan)) return null;
                break;
            case var _ when RootName(callee) is { } root && _failed.Contains(root):
                return null;
            default:
                Report(DiagnosticCodes.ExpressionType, callee.Span, $"`{text}` cannot be called",
                    "call a component (`encoder(x)`), one of its further calls (`encoder.layers(x)`) or a teacher's copy (`teacher.encoder(x)`)");
                return null;
        }
        var signature = _instances[instance].Signature;
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
        _usedInstances.Add(instance);
        if (teacher is not null) _usedInstances.Add(teacher);
        var positional = call.Arguments.ToList();
        return BindInputs(call, text, instance, signature.Name + (method is null ? "" : "." + method), chosen, positional, owner, teacher, method);
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
        return CheckShapes(invoke, signature, ruleKey, calleeText, call.Callee.Span, positional) ? invoke : null;
    }

    /// <summary>Applies the call's [Shape] rule to its inputs; false (reported) on a mismatch.</summary>
    private bool CheckShapes(Invoke invoke, MethodSignature signature, string ruleKey, string calleeText, TextSpan calleeSpan, List<ArgumentSyntax> positional)
    {
        if (signature.ShapeRule is null) return true;
        if (!_rules.TryGetValue(ruleKey, out var rule))
        {
            rule = Shapes.ShapeRuleParser.Parse(signature.ShapeRule, out var error);
            _rules[ruleKey] = rule;
            if (rule is null)
            {
                Report(DiagnosticCodes.ShapeRule, calleeSpan, $"the shape rule of {(ruleKey.Contains('.') ? "call" : "component")} `{ruleKey}` ({_instances[invoke.Instance].Signature.ClrType}) cannot be read: {error}", null);
                return false;
            }
        }
        if (rule is null) return true;
        var arguments = _instances[invoke.Instance].Model.Arguments.ToDictionary(a => a.Name, a => a.Value);
        var result = Shapes.ShapeInference.Apply(rule, arguments, invoke.Inputs.Select(i => ShapeOf(i) as Shapes.TensorShape).ToList());
        if (result.Mismatch is not null)
        {
            Report(DiagnosticCodes.ShapeMismatch, positional[result.MismatchInput].Span, $"`{calleeText}` {result.Mismatch}",
                "follow the shapes back through the flow; `avdsl check` shows each value's shape in the generated code's comments");
            return false;
        }
        if (result.Output is not null) _invokeShapes[invoke] = result.Output;
        else if (result.Members is not null) _invokeShapes[invoke] = result.Members;
        return true;
    }

    /// <summary>The shape of a bound expression where it can be followed; null when unknown or not a tensor.</summary>
    private object? ShapeOf(Expr expr)
    {
        switch (expr)
        {
            case InputRef input when _inputs.TryGetValue(input.Name, out var model):
                return new Shapes.TensorShape(new[] { Shapes.Dim.Named("B") }.Concat(model.Shape.Select(Shapes.Dim.Of)).ToEquatableArray());
            case ValueRef value:
                return _valueShapes.TryGetValue(value.Name, out var shape) ? shape : null;
            case Invoke invoke:
                return _invokeShapes.TryGetValue(invoke, out var result) ? result : null;
            case MemberAccess member:
                return ShapeOf(member.Target) is IReadOnlyDictionary<string, Shapes.TensorShape> members && members.TryGetValue(member.Name, out var m) ? m : null;
            case MaskSelect select:
                return ShapeOf(select.Target) is Shapes.TensorShape t && ShapeOf(select.Mask) is Shapes.TensorShape k && k.Rank <= t.Rank
                    ? new Shapes.TensorShape(new[] { Shapes.Dim.Named("M") }.Concat(t.Dims.Skip(k.Rank)).ToEquatableArray())
                    : null;
            case Negate negate:
                return ShapeOf(negate.Operand);
            case Binary binary:
            {
                var left = ShapeOf(binary.Left) as Shapes.TensorShape;
                var right = ShapeOf(binary.Right) as Shapes.TensorShape;
                return left is not null && right is not null ? Broadcast(left, right)
                    : binary.Left is Constant ? right : binary.Right is Constant ? left : null;
            }
            default:
                return null;
        }
    }

    /// <summary>PyTorch's broadcasting of two shapes; null when a pair of fixed sizes differs and neither is 1.</summary>
    private static Shapes.TensorShape? Broadcast(Shapes.TensorShape a, Shapes.TensorShape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new Shapes.Dim[rank];
        for (var i = 1; i <= rank; i++)
        {
            var x = i <= a.Rank ? a.Dims[a.Rank - i] : Shapes.Dim.Of(1);
            var y = i <= b.Rank ? b.Dims[b.Rank - i] : Shapes.Dim.Of(1);
            if (x.Size is { } p && y.Size is { } q && p != q && p != 1 && q != 1) return null;
            dims[rank - i] = x.Size == 1 ? y : x;
        }
        return new Shapes.TensorShape(dims.ToEquatableArray());
    }

    private TrainingModel? BindTraining(SpecSyntax spec)
    {
        var block = SingleBlock(spec, "train");
        if (block is null)
        {
            Report(DiagnosticCodes.MissingSetting, spec.NameSpan, $"spec `{spec.Name}` has no `train` block",
                "add `train { optimizer: adamw() lr: warmup_cosine(peak: 1e-3, warmup: 10) steps: 100 batch: 8 }`");
            return null;
        }
        var settings = Settings(block, "optimizer", "lr", "steps", "epochs", "batch", "seed", "clip", "device", "precision", "groups");
        var groups = new List<ParameterGroupModel>();
        string device = "cpu", precision = "fp32";
        FunctionModel? optimizer = null, lr = null;
        long? steps = null, epochs = null;
        Value? batch = null;
        long seed = 0;
        double? clip = null;
        var ok = true;
        foreach (var (key, setting) in settings)
        {
            switch (key)
            {
                case "optimizer":
                    optimizer = BindFunction(setting.Value, "optimizer", LanguageFunctions.Optimizers);
                    ok &= optimizer is not null;
                    break;
                case "lr":
                    lr = setting.Value is NumberSyntax constant
                        ? new FunctionModel("constant", new[] { new Argument("value", new DoubleValue(constant.Value)) }.ToEquatableArray())
                        : BindFunction(setting.Value, "schedule", LanguageFunctions.Schedules);
                    ok &= lr is not null;
                    break;
                case "steps":
                    steps = Positive(setting, ParameterKind.Long);
                    ok &= steps is not null;
                    break;
                case "epochs":
                    epochs = Positive(setting, ParameterKind.Long);
                    ok &= epochs is not null;
                    break;
                case "batch":
                    if (setting.Value is CallSyntax)
                    {
                        var schedule = BindFunction(setting.Value, "schedule", LanguageFunctions.Schedules);
                        batch = schedule is null ? null : new ScheduleValue(schedule);
                    }
                    else
                    {
                        batch = Positive(setting, ParameterKind.Int) is { } size ? new IntValue(size) : null;
                    }
                    ok &= batch is not null;
                    break;
                case "seed":
                    var s = _arguments.Convert(setting.Value, new ParameterSignature("seed", "seed", ParameterKind.Long, null), "train");
                    if (s is IntValue si) seed = si.Value;
                    else ok = false;
                    break;
                case "device":
                    var chosen = Choice(setting, "device", "`cpu`, `auto`, `cuda` or \"cuda:N\"", new[] { "cpu", "auto", "cuda" },
                        text => text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.Substring(5), out var n) && n >= 0);
                    if (chosen is null) ok = false;
                    else device = chosen;
                    break;
                case "precision":
                    var mode = Choice(setting, "precision", "`fp32` or `bf16`", new[] { "fp32", "bf16" }, _ => false);
                    if (mode is null) ok = false;
                    else precision = mode;
                    break;
                case "groups":
                    var bound = BindGroups(setting.Value);
                    if (bound is null) ok = false;
                    else groups = bound;
                    break;
                case "clip":
                    var c = _arguments.Convert(setting.Value, new ParameterSignature("clip", "clip", ParameterKind.Double, null), "train");
                    if (c is DoubleValue cd) clip = cd.Value;
                    else ok = false;
                    break;
            }
        }
        foreach (var required in new[] { "optimizer", "lr", "batch" })
        {
            if (!settings.ContainsKey(required))
            {
                Report(DiagnosticCodes.MissingSetting, block.KindSpan, $"`train` needs `{required}`", RequiredHelp(required));
                ok = false;
            }
        }
        if (settings.ContainsKey("steps") == settings.ContainsKey("epochs"))
        {
            var both = settings.ContainsKey("steps");
            Report(both ? DiagnosticCodes.Duplicate : DiagnosticCodes.MissingSetting, both ? settings["epochs"].KeySpan : block.KindSpan,
                both ? "`train` sets both `steps` and `epochs`; they say the same thing" : "`train` needs `steps` or `epochs`",
                both ? "keep one of them" : RequiredHelp("steps"));
            ok = false;
        }
        else if (epochs is not null && settings.TryGetValue("batch", out var batchSetting) && batch is ScheduleValue)
        {
            Report(DiagnosticCodes.ArgumentType, batchSetting.Value.Span, "a scheduled batch size has no fixed number of steps per epoch",
                "count the run in `steps`, or keep the batch size fixed");
            ok = false;
        }
        return ok && optimizer is not null && lr is not null && (steps is not null || epochs is not null) && batch is not null
            ? new TrainingModel(optimizer, lr, steps, batch, seed, clip, device, precision, epochs, groups.ToEquatableArray())
            : null;
    }

    private static readonly ParameterSignature[] GroupParameters =
    {
        new("lr_scale", "lr_scale", ParameterKind.Double, new DoubleValue(1.0)),
        new("weight_decay", "weight_decay", ParameterKind.Double, new DoubleValue(-1.0)),
        new("frozen", "frozen", ParameterKind.Bool, new BoolValue(false)),
    };

    /// <summary><c>groups: [group(of: [decoder], lr_scale: 2.0), group(of: [patches], frozen: true)]</c></summary>
    private List<ParameterGroupModel>? BindGroups(ExpressionSyntax syntax)
    {
        const string help = "for example `groups: [group(of: [decoder], lr_scale: 2.0), group(of: [patches], frozen: true)]`";
        if (syntax is not ListSyntax list)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span, $"`groups` must be a list of `group(…)`, found {ArgumentBinder.Describe(syntax)}", help);
            return null;
        }
        var groups = new List<ParameterGroupModel>();
        foreach (var item in list.Items)
        {
            if (item is not CallSyntax { Callee: NameSyntax { Name: "group" } } call)
            {
                Report(DiagnosticCodes.ArgumentType, item.Span, $"each entry of `groups` is a `group(…)`, found {ArgumentBinder.Describe(item)}", help);
                return null;
            }
            var of = call.Arguments.FirstOrDefault(a => a.Name == "of");
            if (of is null)
            {
                Report(DiagnosticCodes.MissingArgument, call.Callee.Span, "`group` needs `of`", "list the components it sets: `of: [decoder]`");
                return null;
            }
            if (of.Value is not ListSyntax { Items.Count: > 0 } names || names.Items.Any(n => n is not NameSyntax))
            {
                Report(DiagnosticCodes.ArgumentType, of.Value.Span, "`of` must list component names, such as `[decoder]`", null);
                return null;
            }
            foreach (var name in names.Items.Cast<NameSyntax>())
            {
                if (_instances.ContainsKey(name.Name)) continue;
                if (_failed.Contains(name.Name)) return null;
                Report(DiagnosticCodes.UnknownName, name.Span, _teachers.ContainsKey(name.Name) ? $"`{name.Name}` is a teacher; it takes no gradients already" : $"`{name.Name}` is not a component",
                    NearMiss.Help(name.Name, _instances.Keys, "a group sets components declared in this spec"));
                return null;
            }
            var arguments = _arguments.Bind("group", call.Callee.Span, GroupParameters, call.Arguments.Where(a => a.Name != "of").ToList());
            if (arguments is null) return null;
            double Number(string key) => ((DoubleValue)arguments.Value.First(a => a.Name == key).Value).Value;
            var weightDecay = call.Arguments.Any(a => a.Name == "weight_decay") ? Number("weight_decay") : (double?)null;
            if (Number("lr_scale") < 0 || weightDecay < 0)
            {
                var bad = call.Arguments.First(a => a.Name is "lr_scale" or "weight_decay" && ((a.Name == "lr_scale" ? Number("lr_scale") : weightDecay) < 0));
                Report(DiagnosticCodes.ArgumentType, bad.Value.Span, $"`{bad.Name}` must not be negative", null);
                return null;
            }
            groups.Add(new ParameterGroupModel(names.Items.Cast<NameSyntax>().Select(n => n.Name).ToEquatableArray(), Number("lr_scale"), weightDecay,
                ((BoolValue)arguments.Value.First(a => a.Name == "frozen").Value).Value));
        }
        return groups;
    }

    /// <summary>A setting that is one of a few words (or a string that <paramref name="alsoValid"/> accepts).</summary>
    private string? Choice(SettingSyntax setting, string key, string expected, string[] words, Func<string, bool> alsoValid)
    {
        var text = setting.Value switch { NameSyntax n => n.Name, StringSyntax s => s.Value, _ => null };
        if (text is not null && (words.Contains(text) || alsoValid(text))) return text;
        Report(DiagnosticCodes.ArgumentType, setting.Value.Span, $"`{key}` must be {expected}, found {ArgumentBinder.Describe(setting.Value)}",
            text is null ? null : NearMiss.Help(text, words, $"`{key}` is one of " + string.Join(", ", words.Select(w => $"`{w}`"))));
        return null;
    }

    private static string RequiredHelp(string key) => key switch
    {
        "optimizer" => "for example `optimizer: adamw(betas: [0.9, 0.95], weight_decay: 0.05)`",
        "lr" => "a number or a schedule, for example `lr: warmup_cosine(peak: 1e-3, warmup: 10)`",
        "steps" => "the number of optimizer steps, for example `steps: 100`",
        _ => "the number of examples per step, for example `batch: 8`",
    };

    private long? Positive(SettingSyntax setting, ParameterKind kind)
    {
        var value = _arguments.Convert(setting.Value, new ParameterSignature(setting.Key, setting.Key, kind, null), "train");
        if (value is not IntValue v) return null;
        if (v.Value > 0) return v.Value;
        Report(DiagnosticCodes.ArgumentType, setting.Value.Span, $"`{setting.Key}` must be at least 1, found {v.Value}", null);
        return null;
    }

    private DataModel? BindData(SpecSyntax spec)
    {
        var block = SingleBlock(spec, "data");
        if (block is null)
        {
            Report(DiagnosticCodes.MissingSetting, spec.NameSpan, $"spec `{spec.Name}` has no `data` block", "add `data { train: synthetic_spectrograms() }`");
            return null;
        }
        var settings = Settings(block, "train");
        if (!settings.TryGetValue("train", out var train))
        {
            Report(DiagnosticCodes.MissingSetting, block.KindSpan, "`data` needs `train`", "for example `train: synthetic_spectrograms()`");
            return null;
        }
        var source = BindFunction(train.Value, "data source", LanguageFunctions.DataSources);
        if (source is null) return null;
        if (source.Kind == "synthetic_spectrograms" && SingleBlock(spec, "train")?.Settings.FirstOrDefault(s => s.Key == "epochs") is { } epochs)
        {
            Report(DiagnosticCodes.DataInputs, epochs.KeySpan, "`synthetic_spectrograms` never runs out, so it has no epochs", "count the run in `steps`");
            return null;
        }
        if (source.Kind == "synthetic_spectrograms" && (_inputs.Count != 1 || _inputs.Values.Any(i => i.Kind != "fbank")))
        {
            Report(DiagnosticCodes.DataInputs, train.Value.Span, $"`{source.Kind}` feeds exactly one fbank input; spec `{spec.Name}` declares {_inputs.Count} input{(_inputs.Count == 1 ? "" : "s")}",
                "declare one input such as `input audio: fbank(mel: 128, frames: 1024)`, or read media with `manifest(...)`");
            return null;
        }
        if (_inputs.Count == 0)
        {
            Report(DiagnosticCodes.DataInputs, train.Value.Span, $"`{source.Kind}` has no input to fill: spec `{spec.Name}` declares none",
                "declare inputs such as `input audio: fbank(mel: 128, frames: 1024)` and `input video: frames(count: 8, size: 224)`");
            return null;
        }
        return new DataModel(source);
    }

    private SettingsBlockSyntax? SingleBlock(SpecSyntax spec, string kind)
    {
        var blocks = spec.Members.OfType<SettingsBlockSyntax>().Where(b => b.Kind == kind).ToList();
        foreach (var extra in blocks.Skip(1))
        {
            Report(DiagnosticCodes.Duplicate, extra.KindSpan, $"spec `{spec.Name}` has more than one `{kind}` block", "merge them into one");
        }
        return blocks.FirstOrDefault();
    }

    private Dictionary<string, SettingSyntax> Settings(SettingsBlockSyntax block, params string[] known)
    {
        var result = new Dictionary<string, SettingSyntax>(StringComparer.Ordinal);
        foreach (var setting in block.Settings)
        {
            if (!known.Contains(setting.Key))
            {
                Report(DiagnosticCodes.UnknownSetting, setting.KeySpan, $"`{block.Kind}` has no setting `{setting.Key}`",
                    NearMiss.Help(setting.Key, known, "its settings are " + string.Join(", ", known.Select(k => $"`{k}`"))));
                continue;
            }
            if (result.ContainsKey(setting.Key))
            {
                Report(DiagnosticCodes.Duplicate, setting.KeySpan, $"`{setting.Key}` is set twice in `{block.Kind}`", "keep one");
                continue;
            }
            result[setting.Key] = setting;
        }
        return result;
    }

    private FunctionModel? BindFunction(ExpressionSyntax syntax, string what, IReadOnlyDictionary<string, FunctionSignature> vocabulary)
    {
        if (syntax is not CallSyntax { Callee: NameSyntax callee } call)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span, $"expected a {what} such as `{vocabulary.Keys.First()}(…)`, found {ArgumentBinder.Describe(syntax)}",
                $"the {what}s are " + string.Join(", ", vocabulary.Keys.Select(k => $"`{k}`")));
            return null;
        }
        if (!vocabulary.TryGetValue(callee.Name, out var signature))
        {
            ReportUnknownFunction(callee.Span, callee.Name, what, vocabulary.Keys);
            return null;
        }
        var positional = call.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            Report(DiagnosticCodes.Syntax, positional.Span, $"arguments of `{callee.Name}` must be named", "write `name: value`");
            return null;
        }
        var arguments = _arguments.Bind(callee.Name, callee.Span, signature.Parameters.ToList(), call.Arguments);
        return arguments is null ? null : new FunctionModel(callee.Name, arguments.Value);
    }

    private void ReportUnused()
    {
        foreach (var (name, instance) in _instances)
        {
            if (!_usedInstances.Contains(name))
            {
                Report(DiagnosticCodes.UnusedComponent, instance.NameSpan, $"component `{name}` is never used", "call it in the flow or remove it");
            }
        }
        foreach (var (name, teacher) in _teachers)
        {
            if (!_usedInstances.Contains(name))
            {
                Report(DiagnosticCodes.UnusedComponent, teacher.NameSpan, $"teacher `{name}` is never used", $"call one of its copies in the flow, such as `{name}.{teacher.Model.Of[0]}(…)`, or remove it");
            }
        }
        foreach (var (name, value) in _values)
        {
            if (!_usedValues.Contains(name))
            {
                Report(DiagnosticCodes.UnusedValue, value.NameSpan, $"flow value `{name}` is never used", "use it in a later value or a loss, or remove it");
            }
        }
    }

    private bool IsDeclared(string name, TextSpan span)
    {
        if (_inputs.ContainsKey(name) || _instances.ContainsKey(name) || _values.ContainsKey(name) || _teachers.ContainsKey(name))
        {
            Report(DiagnosticCodes.Duplicate, span, $"`{name}` is declared twice", "inputs, components and flow values share one namespace; rename one");
            return true;
        }
        return false;
    }

    private string UniqueInstanceName(string name)
    {
        var candidate = name;
        for (var i = 2; _instances.ContainsKey(candidate) || _inputs.ContainsKey(candidate) || _values.ContainsKey(candidate) || _teachers.ContainsKey(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }

    private static bool IsArithmetic(string type) => type == ComponentCatalog.TensorType || type == Expr.NumberType;

    private static bool Accepts(string parameterType, string valueType) => parameterType == valueType;

    private static string DescribeType(string type) => type switch
    {
        ComponentCatalog.TensorType => "a tensor",
        Expr.NumberType => "a number",
        _ => $"a `{type.Substring(type.LastIndexOf('.') + 1)}`",
    };

    private void ReportUnknownComponent(NameSyntax callee)
    {
        var candidates = _catalog.Components.Select(c => c.Name).Concat(_instances.Keys).ToList();
        Report(DiagnosticCodes.UnknownComponent, callee.Span, $"unknown component `{callee.Name}`",
            NearMiss.Help(callee.Name, candidates, "the components are " + string.Join(", ", _catalog.Components.Select(c => $"`{c.Name}`").OrderBy(n => n, StringComparer.Ordinal))));
    }

    private void ReportUnknownFunction(TextSpan span, string name, string what, IEnumerable<string> known)
    {
        var list = known.ToList();
        Report(DiagnosticCodes.UnknownFunction, span, $"unknown {what} `{name}`",
            NearMiss.Help(name, list, $"the {what}s are " + string.Join(", ", list.Select(k => $"`{k}`"))));
    }

    private int Line(TextSpan span) => _sources.FileOf(span.Start).Position(span.Start).Line;

    private SourceLocation Location(TextSpan span) => new(_sources.FileOf(span.Start).Path, Line(span));

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
