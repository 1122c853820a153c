using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>A spec ready to bind: its members after <c>extends</c> and overrides, and where it came from.</summary>
/// <param name="Causes">For a sweep point: where each of its settings is written, to put an error it causes there.</param>
public sealed record ComposedSpec(SpecSyntax Syntax, Model.SpecVariant? Variant, IReadOnlyList<ErrorCause> Causes);

/// <summary>Composition happens on syntax, before binding, so a child spec binds exactly like a spec written out in
/// full. Order is predictable: the base's members first, then the child's statements in order — a member with the
/// name of an inherited one replaces it in place, a new one is appended, settings merge key by key, and an override
/// (<c>encoder.depth = 6</c>) changes one argument of what is there at that point.</summary>
public sealed class SpecComposer
{
    private readonly SourceSet _sources;
    private readonly List<Diagnostic> _diagnostics;
    private readonly Dictionary<string, SpecSyntax> _specs;
    private readonly Dictionary<string, SpecSyntax> _composed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _composing = new(StringComparer.Ordinal);

    public SpecComposer(SourceSet sources, IReadOnlyDictionary<string, SpecSyntax> specs, List<Diagnostic> diagnostics)
    {
        _sources = sources;
        _specs = specs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        _diagnostics = diagnostics;
    }

    /// <summary>The spec with its base chain applied; null when the chain is broken (reported).</summary>
    public SpecSyntax? Compose(SpecSyntax spec)
    {
        if (_composed.TryGetValue(spec.Name, out var done)) return done;
        if (spec.Extends is null) return _composed[spec.Name] = ApplyOwnOverrides(spec);
        if (!_composing.Add(spec.Name))
        {
            Report(DiagnosticCodes.ExtendsCycle, spec.ExtendsSpan, $"spec `{spec.Name}` extends itself through `{spec.Extends}`", "break the cycle of `extends`");
            return null;
        }
        try
        {
            if (!_specs.TryGetValue(spec.Extends, out var parentSyntax))
            {
                Report(DiagnosticCodes.UnknownSpec, spec.ExtendsSpan, $"no spec named `{spec.Extends}` to extend",
                    NearMiss.Help(spec.Extends, _specs.Keys, "declare it in this file or `import` the file that holds it"));
                return null;
            }
            var parent = Compose(parentSyntax);
            if (parent is null) return null;
            var members = Merge(parent.Members, spec.Members);
            return members is null ? null : _composed[spec.Name] = spec with { Members = members };
        }
        finally
        {
            _composing.Remove(spec.Name);
        }
    }

    /// <summary>Every point of a sweep as a composed spec with a stable name made of its values.</summary>
    public IEnumerable<ComposedSpec> Variants(SweepSyntax sweep)
    {
        if (!_specs.TryGetValue(sweep.Of, out var target))
        {
            Report(DiagnosticCodes.UnknownSpec, sweep.OfSpan, $"no spec named `{sweep.Of}` to sweep",
                NearMiss.Help(sweep.Of, _specs.Keys, "declare it in this file or `import` the file that holds it"));
            yield break;
        }
        var baseSpec = Compose(target);
        if (baseSpec is null) yield break;

        var axes = new List<(SweepAxisSyntax Axis, List<(PathSyntax Path, ExpressionSyntax Value)[]> Values)>();
        foreach (var axis in sweep.Axes)
        {
            var lengths = axis.Parameters.Select(p => p.Values.Items.Count).Distinct().ToList();
            if (lengths.Count > 1)
            {
                Report(DiagnosticCodes.SweepShape, axis.Span, $"`zip` pairs values by position, but its lists have {string.Join(" and ", axis.Parameters.Select(p => p.Values.Items.Count))} values",
                    "give every list of a `zip` the same number of values");
                yield break;
            }
            if (lengths.Count == 0 || lengths[0] == 0)
            {
                Report(DiagnosticCodes.SweepShape, axis.Span, "an axis needs at least one value", "write `grid path in [v1, v2]`");
                yield break;
            }
            if (axis.Condition is { } condition && !axes.Any(a => a.Axis.Parameters.Any(p => p.Path.Text == condition.Path.Text)))
            {
                Report(DiagnosticCodes.SweepShape, condition.Path.Span, $"`{condition.Path.Text}` is not swept by an earlier axis of `{sweep.Name}`",
                    "a condition names an axis written above it");
                yield break;
            }
            axes.Add((axis, Enumerable.Range(0, lengths[0]).Select(i => axis.Parameters.Select(p => (p.Path, p.Values.Items[i])).ToArray()).ToList()));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in Product(axes))
        {
            var settings = point.SelectMany(p => p).ToList();
            var name = sweep.Name + "_" + string.Join("_", settings.Select(s => NamePart(s.Path, s.Value)));
            if (!seen.Add(name))
            {
                Report(DiagnosticCodes.SweepShape, sweep.NameSpan, $"sweep `{sweep.Name}` has the point `{name}` twice", "remove the repeated value");
                continue;
            }
            var members = baseSpec.Members.ToList();
            var ok = true;
            foreach (var (path, value) in settings) ok &= ApplyOverride(members, new OverrideSyntax(path.Span.Cover(value.Span), path, value));
            if (!ok) continue;
            var variant = new Model.SpecVariant(sweep.Name, sweep.Of,
                settings.Select(s => new Model.SweepSetting(s.Path.Text, Text(s.Value))).ToEquatableArray());
            var causes = settings.Select(s => new ErrorCause(s.Path.Span.Cover(s.Value.Span), s.Path.Segments.Select(x => x.Name).ToList())).ToList();
            yield return new ComposedSpec(baseSpec with { Name = name, NameSpan = sweep.NameSpan, Extends = sweep.Of, Members = members }, variant, causes);
        }
    }

    /// <summary>The points of the axes; a conditional axis varies only where its condition holds on the point so far.</summary>
    private static IEnumerable<List<(PathSyntax Path, ExpressionSyntax Value)[]>> Product(
        List<(SweepAxisSyntax Axis, List<(PathSyntax Path, ExpressionSyntax Value)[]> Values)> axes)
    {
        IEnumerable<List<(PathSyntax Path, ExpressionSyntax Value)[]>> result = new[] { new List<(PathSyntax, ExpressionSyntax)[]>() };
        foreach (var (axis, values) in axes)
        {
            result = result.SelectMany(prefix => Holds(axis.Condition, prefix)
                ? values.Select(value => new List<(PathSyntax, ExpressionSyntax)[]>(prefix) { value })
                : new[] { prefix });
        }
        return result;
    }

    private static bool Holds(SweepConditionSyntax? condition, List<(PathSyntax Path, ExpressionSyntax Value)[]> point) =>
        condition is null || point.SelectMany(p => p).Any(s => s.Path.Text == condition.Path.Text && Text(s.Value) == Text(condition.Value));

    private SpecSyntax ApplyOwnOverrides(SpecSyntax spec)
    {
        if (!spec.Members.OfType<OverrideSyntax>().Any()) return spec;
        var members = new List<MemberDeclarationSyntax>();
        foreach (var member in spec.Members)
        {
            if (member is OverrideSyntax o) ApplyOverride(members, o);
            else members.Add(member);
        }
        return spec with { Members = members };
    }

    private IReadOnlyList<MemberDeclarationSyntax>? Merge(IReadOnlyList<MemberDeclarationSyntax> inherited, IReadOnlyList<MemberDeclarationSyntax> own)
    {
        var members = inherited.ToList();
        // A child replaces an inherited declaration; two of its own with one name would silently keep the last.
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, span) in own.SelectMany(Declarations))
        {
            if (!declared.Add(name))
                Report(DiagnosticCodes.Duplicate, span, $"`{name}` is declared twice", "a child spec replaces an inherited declaration once; keep one of the two");
        }
        foreach (var member in own)
        {
            switch (member)
            {
                case MetadataSyntax m:
                    Replace(members, x => x is MetadataSyntax o && o.Key == m.Key, m);
                    break;
                case InputSyntax i:
                    Replace(members, x => x is InputSyntax o && o.Name == i.Name, i);
                    break;
                case InstanceSyntax c:
                    Replace(members, x => x is InstanceSyntax o && o.Name == c.Name, c);
                    break;
                case ParamSyntax p when members.Any(x => x is ParamSyntax o && o.Name == p.Name):
                    // A param is changed, not declared again: a misspelt change is then an error, not a new param.
                    Report(DiagnosticCodes.Duplicate, p.NameSpan, $"param `{p.Name}` is declared by the spec this one extends",
                        $"write `{p.Name} = {Formatting.SpecFormatter.Expression(p.Value)}` to change its value");
                    break;
                case ParamSyntax p:
                    members.Add(p);
                    break;
                case LossSyntax l:
                    Replace(members, x => x is LossSyntax o && o.Name == l.Name, l);
                    break;
                case FlowSyntax f:
                {
                    var index = members.FindIndex(x => x is FlowSyntax);
                    if (index < 0)
                    {
                        members.Add(f);
                        break;
                    }
                    var flow = (FlowSyntax)members[index];
                    members[index] = flow with { Bindings = MergeFlow(flow.Bindings, f.Bindings) };
                    break;
                }
                case SettingsBlockSyntax s:
                {
                    var index = members.FindIndex(x => x is SettingsBlockSyntax o && o.Kind == s.Kind);
                    if (index < 0)
                    {
                        members.Add(s);
                        break;
                    }
                    var block = (SettingsBlockSyntax)members[index];
                    var kept = block.Settings.AsEnumerable();
                    // `steps` and `epochs` are one setting in two units: the child's replaces the parent's.
                    if (s.Kind == "train" && s.Settings.Any(x => x.Key is "steps" or "epochs"))
                        kept = kept.Where(x => x.Key is not ("steps" or "epochs"));
                    members[index] = block with
                    {
                        Settings = MergeByKey(kept, s.Settings, x => x.Key),
                        Bindings = s.Bindings is null ? block.Bindings : MergeByKey(block.Values, s.Values, b => b.Name),
                    };
                    break;
                }
                case OverrideSyntax o:
                    ApplyOverride(members, o);
                    break;
            }
        }
        return members;
    }

    private static IEnumerable<(string Name, TextSpan Span)> Declarations(MemberDeclarationSyntax member) => member switch
    {
        ParamSyntax p => new[] { (p.Name, p.NameSpan) },
        InputSyntax i => new[] { (i.Name, i.NameSpan) },
        InstanceSyntax c => new[] { (c.Name, c.NameSpan) },
        LossSyntax l => new[] { (l.Name, l.NameSpan) },
        FlowSyntax f => f.Bindings.Select(b => (b.Name, b.NameSpan)),
        _ => Enumerable.Empty<(string, TextSpan)>(),
    };

    /// <summary>The inherited items with each own item replacing the one of its key in place, or appended.</summary>
    private static List<T> MergeByKey<T>(IEnumerable<T> inherited, IEnumerable<T> own, Func<T, string> key)
    {
        var merged = inherited.ToList();
        foreach (var item in own)
        {
            var at = merged.FindIndex(x => key(x) == key(item));
            if (at >= 0) merged[at] = item;
            else merged.Add(item);
        }
        return merged;
    }

    /// <summary>The inherited flow with the child's values: one of an inherited name replaces it in place, and the new
    /// values written above that one go right before it, so that a replacement can use values of its own (MAViL's
    /// stage 2 computes its targets from a teacher); new values below the last replacement are appended. A replacement
    /// that uses another the child wrote above it, which the inherited flow has further down, takes that one up to just
    /// before it (DiffMAViL's decoders read its noised targets, which MAViL computes after them).</summary>
    private static List<BindingSyntax> MergeFlow(IEnumerable<BindingSyntax> inherited, IEnumerable<BindingSyntax> own)
    {
        var merged = inherited.ToList();
        var added = new List<BindingSyntax>();
        var replaced = new List<BindingSyntax>();
        foreach (var binding in own)
        {
            var at = merged.FindIndex(b => b.Name == binding.Name);
            if (at < 0)
            {
                added.Add(binding);
                continue;
            }
            merged[at] = binding;
            var uses = new HashSet<string>(ExpressionNames.In(binding.Value));
            var later = replaced.Where(r => uses.Contains(r.Name) && merged.IndexOf(r) > at).ToList();
            foreach (var moved in later) merged.Remove(moved);
            merged.InsertRange(at, later.Concat(added));
            replaced.Add(binding);
            added.Clear();
        }
        merged.AddRange(added);
        return merged;
    }

    private static void Replace(List<MemberDeclarationSyntax> members, Predicate<MemberDeclarationSyntax> same, MemberDeclarationSyntax member)
    {
        var index = members.FindIndex(same);
        if (index >= 0) members[index] = member;
        else members.Add(member);
    }

    /// <summary>Sets one argument or setting named by a path; false (reported) when the path names nothing.</summary>
    private bool ApplyOverride(List<MemberDeclarationSyntax> members, OverrideSyntax o)
    {
        var segments = o.Path.Segments;
        var root = segments[0];
        var last = segments[segments.Count - 1];

        if (root.Name is "train" or "data" or "eval")
        {
            var index = members.FindIndex(x => x is SettingsBlockSyntax b && b.Kind == root.Name);
            if (index < 0 || segments.Count > 3)
            {
                return Fail(o, index < 0 ? $"there is no `{root.Name}` block to change" : $"`{o.Path.Text}` is too deep: write `{root.Name}.setting` or `{root.Name}.setting.argument`");
            }
            var block = (SettingsBlockSyntax)members[index];
            var key = segments[1];
            var settings = block.Settings.ToList();
            var at = settings.FindIndex(s => s.Key == key.Name);
            if (segments.Count == 2)
            {
                var setting = new SettingSyntax(o.Span, key.Name, key.Span, o.Value);
                if (at >= 0) settings[at] = setting;
                else settings.Add(setting);
            }
            else
            {
                if (at < 0 || settings[at].Value is not CallSyntax call)
                {
                    return Fail(o, at < 0 ? $"`{root.Name}` has no setting `{key.Name}` to change" : $"`{root.Name}.{key.Name}` is not a call with arguments");
                }
                settings[at] = settings[at] with { Value = WithArgument(call, last, o.Value) };
            }
            members[index] = block with { Settings = settings };
            return true;
        }

        if (segments.Count == 1) return ApplyParam(members, o);
        if (segments.Count > 3)
        {
            return Fail(o, $"`{o.Path.Text}` is too deep: write `{root.Name}.argument`, or `{root.Name}.argument.argument` for an argument of a schedule it takes");
        }
        var rest = segments.Skip(1).ToList();
        // `a_mask.ratio.to`: one argument of the schedule an argument takes.
        CallSyntax? With(CallSyntax call)
        {
            if (rest.Count == 1) return WithArgument(call, last, o.Value);
            var inner = call.Arguments.FirstOrDefault(a => a.Name == rest[0].Name);
            if (inner?.Value is CallSyntax schedule) return WithArgument(call, rest[0], WithArgument(schedule, last, o.Value));
            Fail(o, inner is null ? $"`{root.Name}` sets no argument `{rest[0].Name}` whose arguments could change" : $"`{root.Name}.{rest[0].Name}` is not a call with arguments");
            return null;
        }
        for (var i = 0; i < members.Count; i++)
        {
            switch (members[i])
            {
                case InstanceSyntax c when c.Name == root.Name:
                    if (With(c.Constructor) is not { } constructor) return false;
                    members[i] = c with { Constructor = constructor };
                    return true;
                case InputSyntax input when input.Name == root.Name:
                    if (With(input.Features) is not { } features) return false;
                    members[i] = input with { Features = features };
                    return true;
                case FlowSyntax flow when flow.Bindings.Any(b => b.Name == root.Name):
                {
                    var bindings = flow.Bindings.ToList();
                    var at = bindings.FindIndex(b => b.Name == root.Name);
                    if (bindings[at].Value is not CallSyntax { Callee: NameSyntax } call)
                    {
                        return Fail(o, $"flow value `{root.Name}` is not a component call, so it has no arguments to change");
                    }
                    if (With(call) is not { } changed) return false;
                    bindings[at] = bindings[at] with { Value = changed };
                    members[i] = flow with { Bindings = bindings };
                    return true;
                }
            }
        }
        var names = members.SelectMany(m => m switch
        {
            InstanceSyntax c => new[] { c.Name },
            InputSyntax input => new[] { input.Name },
            FlowSyntax f => f.Bindings.Select(b => b.Name).ToArray(),
            _ => Array.Empty<string>(),
        }).Concat(new[] { "train", "data", "eval" });
        Report(DiagnosticCodes.UnknownOverride, root.Span, $"`{root.Name}` is not a component, input or flow value that can be changed",
            NearMiss.Help(root.Name, names, "overrides name a component, an input, a flow value computed by a component call, `train`, `data` or `eval`"));
        return false;
    }

    /// <summary><c>dim = 192</c>: gives a param declared earlier (here or in a base spec) another value.</summary>
    private bool ApplyParam(List<MemberDeclarationSyntax> members, OverrideSyntax o)
    {
        var name = o.Path.Segments[0];
        var at = members.FindIndex(m => m is ParamSyntax p && p.Name == name.Name);
        if (at >= 0)
        {
            members[at] = ((ParamSyntax)members[at]) with { Value = o.Value };
            return true;
        }
        var names = members.OfType<ParamSyntax>().Select(p => p.Name).ToList();
        Report(DiagnosticCodes.UnknownOverride, name.Span, $"there is no param `{name.Name}` to change",
            NearMiss.Help(name.Name, names,
                $"declare it with `param {name.Name} = …`; a component is declared as `{name.Name} = component(arg: value)`, and `name.argument = value` changes one argument"));
        return false;
    }

    private bool Fail(OverrideSyntax o, string message)
    {
        Report(DiagnosticCodes.UnknownOverride, o.Path.Span, message, null);
        return false;
    }

    private static CallSyntax WithArgument(CallSyntax call, PathSegment name, ExpressionSyntax value)
    {
        var arguments = call.Arguments.ToList();
        var argument = new ArgumentSyntax(name.Span.Cover(value.Span), name.Name, name.Span, value);
        var at = arguments.FindIndex(a => a.Name == name.Name);
        if (at >= 0) arguments[at] = argument;
        else arguments.Add(argument);
        return call with { Arguments = arguments };
    }

    /// <summary>A name part for one setting of a sweep point: the path in PascalCase and the value, e.g.
    /// <c>ViewRatio0p1</c>. It depends only on the path and value, so adding values never renames a variant.</summary>
    public static string NamePart(PathSyntax path, ExpressionSyntax value)
    {
        var text = new StringBuilder();
        foreach (var segment in path.Segments) text.Append(Pascal(segment.Name));
        text.Append(ValueName(value));
        return text.ToString();
    }

    private static string ValueName(ExpressionSyntax value) => value switch
    {
        NumberSyntax n => n.Text.Replace("-", "m").Replace("+", "").Replace(".", "p"),
        NameSyntax name => Pascal(name.Name),
        // "runs/mavil-tiny-seed0" → RunsMavilTinySeed0: each run of letters and digits a word.
        StringSyntax s => string.Concat(Regex.Split(s.Value, "[^\\p{L}\\p{Nd}]+")
            .Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1))),
        ListSyntax list => string.Join("x", list.Items.Select(ValueName)),
        _ => "Value",
    };

    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

    private static string Text(ExpressionSyntax value) => value switch
    {
        NumberSyntax n => n.Text,
        NameSyntax name => name.Name,
        StringSyntax s => new Model.StringValue(s.Value).ToAvml(),
        ListSyntax list => "[" + string.Join(", ", list.Items.Select(Text)) + "]",
        _ => value.GetType().Name,
    };

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Add(Diagnostic.Create(descriptor, _sources.FileOf(span.Start), span, message, help));
}
