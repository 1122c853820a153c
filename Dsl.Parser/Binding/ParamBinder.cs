using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>param dim = 768</c> and every use of a param. A param is a literal; a use binds as if the literal
/// were written there (so its type is checked against each argument), and all uses of one param share one type.</summary>
internal sealed class ParamBinder
{
    /// <summary>Where a param can be used, for the error that says it cannot be used elsewhere.</summary>
    public const string Accepted = "params can be used in component arguments, in flow and loss arithmetic, and in the train settings `steps`, `epochs`, `batch`, `seed` and `clip`";

    private readonly DiagnosticSink _diagnostics;
    private readonly Dictionary<string, Declared> _params = new(StringComparer.Ordinal);
    private readonly List<ParamModel> _models = new();

    private sealed class Declared(ParamSyntax syntax)
    {
        public ParamSyntax Syntax { get; } = syntax;
        /// <summary>The type the first use gave the param, as a key and as words, and where that use is.</summary>
        public (string Key, string Description, TextSpan Span)? Type { get; set; }
    }

    public ParamBinder(DiagnosticSink diagnostics) => _diagnostics = diagnostics;

    /// <summary>The params that bound, in declaration order.</summary>
    public IReadOnlyList<ParamModel> Models => _models;

    public IEnumerable<string> Names => _params.Keys;

    public bool IsParam(string name) => _params.ContainsKey(name);

    public void BindParams(IEnumerable<ParamSyntax> syntax)
    {
        foreach (var param in syntax)
        {
            if (_params.ContainsKey(param.Name))
            {
                _diagnostics.Report(DiagnosticCodes.Duplicate, param.NameSpan, $"param `{param.Name}` is declared twice", "keep one");
                continue;
            }
            if (param.Name is "true" or "false")
            {
                _diagnostics.Report(DiagnosticCodes.ParamValue, param.NameSpan, $"`{param.Name}` is a boolean, so it cannot name a param", "choose another name");
                continue;
            }
            var value = Literal(param.Value);
            if (value is null)
            {
                _diagnostics.Report(DiagnosticCodes.ParamValue, param.Value.Span,
                    $"the value of param `{param.Name}` must be a literal, found {Describe(param.Value)}",
                    "a param is a number, a string, a word (`true`, `pre`) or a list of them; it cannot compute from or name another param");
                continue;
            }
            _params.Add(param.Name, new Declared(param));
            _models.Add(new ParamModel(param.Name, value, _diagnostics.Sources.Location(param.NameSpan)));
        }
    }

    /// <summary>Whether the value names a param: the whole value, or an item of a list.</summary>
    public bool Mentions(ExpressionSyntax syntax) => syntax switch
    {
        NameSyntax name => _params.ContainsKey(name.Name),
        ListSyntax list => list.Items.Any(i => i is NameSyntax n && _params.ContainsKey(n.Name)),
        _ => false,
    };

    /// <summary>The param <paramref name="use"/> names, converted for <paramref name="parameter"/>; null (reported at
    /// the use, naming the param and where it is set) when its literal does not fit.</summary>
    public Value? Resolve(NameSyntax use, ParameterSignature parameter, string owner)
    {
        var declared = _params[use.Name];
        var value = ArgumentBinder.TryConvert(declared.Syntax.Value, parameter);
        if (value is null)
        {
            _diagnostics.Report(DiagnosticCodes.ArgumentType, use.Span,
                $"`{parameter.Name}` of `{owner}` must be {parameter.TypeDescription}, found param `{use.Name}`, which is {Describe(declared.Syntax.Value)}",
                Where(declared, use.Span));
            return null;
        }
        return SameType(declared, use, TypeKey(parameter), parameter.TypeDescription) ? value : null;
    }

    /// <summary>A param read in flow arithmetic: a number, <see cref="ParamRef"/>; null (reported) for any other.</summary>
    public Expr? Number(NameSyntax use)
    {
        var declared = _params[use.Name];
        if (declared.Syntax.Value is not NumberSyntax number)
        {
            _diagnostics.Report(DiagnosticCodes.ExpressionType, use.Span, $"param `{use.Name}` is {Describe(declared.Syntax.Value)}; the flow reads number params only",
                Where(declared, use.Span));
            return null;
        }
        return SameType(declared, use, "number", "a number") ? new ParamRef(use.Name, number.Value) : null;
    }

    /// <summary>Reports a param used where params are not accepted (an input's features, an optimizer, a schedule, a
    /// data source); true when it did.</summary>
    public bool RejectsIn(ExpressionSyntax syntax, string where)
    {
        if (!Mentions(syntax)) return false;
        var name = syntax as NameSyntax ?? ((ListSyntax)syntax).Items.OfType<NameSyntax>().First(n => _params.ContainsKey(n.Name));
        _diagnostics.Report(DiagnosticCodes.ParamNotAccepted, name.Span, $"param `{name.Name}` cannot be used in {where}", Accepted + "; write the value here");
        return true;
    }

    /// <summary>The param a name evidently misspells (for a value that is no literal either), or null.</summary>
    public string? Nearest(string name) => NearMiss.Find(name, _params.Keys);

    /// <summary>After binding: a param with the name of an input, component or flow value is an error (the names
    /// share one namespace), one the spec declares itself and never names is a warning. A use in a statement with an error counts: the
    /// error is reported once, not followed by a warning that the param is unused.</summary>
    public void ReportShadowingAndUnused(SpecSyntax spec, SpecScope scope)
    {
        var named = new HashSet<string>(spec.Members.SelectMany(Expressions).SelectMany(ExpressionNames.In), StringComparer.Ordinal);
        foreach (var declared in _params.Values)
        {
            var name = declared.Syntax.Name;
            var other = scope.Inputs.ContainsKey(name) ? "an input" : scope.Instances.ContainsKey(name) ? "a component" : scope.Teachers.ContainsKey(name) ? "a teacher"
                : scope.Values.ContainsKey(name) ? "a flow value" : null;
            if (other is not null)
            {
                _diagnostics.Report(DiagnosticCodes.Duplicate, declared.Syntax.NameSpan, $"param `{name}` has the name of {other}",
                    "params, inputs, components and flow values share one namespace; rename the param");
            }
            // An inherited param whose uses the child replaced is the base's business (MAViL's a_ratio in DiffMAViL,
            // whose masks follow a curriculum): only a spec's own params are reported unused.
            else if (!named.Contains(name) && declared.Syntax.NameSpan.Start >= spec.Span.Start && declared.Syntax.NameSpan.End <= spec.Span.End)
            {
                _diagnostics.Report(DiagnosticCodes.UnusedParam, declared.Syntax.NameSpan, $"param `{name}` is never used",
                    $"use it as a value (`dim: {name}`) or remove it");
            }
        }
    }

    private static IEnumerable<ExpressionSyntax> Expressions(MemberDeclarationSyntax member) => member switch
    {
        InputSyntax input => new ExpressionSyntax[] { input.Features },
        InstanceSyntax instance => new ExpressionSyntax[] { instance.Constructor },
        FlowSyntax flow => flow.Bindings.Select(b => b.Value),
        LossSyntax loss => new[] { loss.Value },
        SettingsBlockSyntax block => block.Settings.Select(s => s.Value).Concat(block.Values.Select(b => b.Value)),
        _ => Enumerable.Empty<ExpressionSyntax>(),
    };

    /// <summary>All uses of a param share the first use's type (numbers of any kind count as one).</summary>
    private bool SameType(Declared declared, NameSyntax use, string key, string description)
    {
        if (declared.Type is not { } first)
        {
            declared.Type = (key, description, use.Span);
            return true;
        }
        if (first.Key == key) return true;
        _diagnostics.Report(DiagnosticCodes.ArgumentType, use.Span,
            $"param `{use.Name}` is {first.Description} where it is first used ({Line(first.Span, use.Span)}); here it would be {description}",
            "a param has one type; declare another param for this use");
        return false;
    }

    private static string TypeKey(ParameterSignature parameter) => parameter.Kind switch
    {
        ParameterKind.Int or ParameterKind.Long or ParameterKind.Double => "number",
        ParameterKind.Enum => "enum " + parameter.EnumType,
        _ => parameter.Kind.ToString(),
    };

    private string Where(Declared declared, TextSpan use)
    {
        var text = $"`{declared.Syntax.Name}` is declared at {Line(declared.Syntax.NameSpan, use)}";
        var valueLine = _diagnostics.Sources.Location(declared.Syntax.Value.Span);
        return valueLine == _diagnostics.Sources.Location(declared.Syntax.NameSpan) ? text : text + $" and set at {Line(declared.Syntax.Value.Span, use)}";
    }

    /// <summary>"line 3" in the file of <paramref name="from"/>, else "eat.avml:3".</summary>
    private string Line(TextSpan span, TextSpan from)
    {
        var location = _diagnostics.Sources.Location(span);
        return _diagnostics.Sources.FileOf(span.Start) == _diagnostics.Sources.FileOf(from.Start) ? $"line {location.Line}" : $"{location.Path}:{location.Line}";
    }

    private static string Describe(ExpressionSyntax syntax) => "`" + Formatting.SpecFormatter.Expression(syntax) + "`";

    /// <summary>The literal as written: a whole number is an <see cref="IntValue"/>, a word an <see cref="EnumValue"/>.</summary>
    private Value? Literal(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax n when n.IsWhole && Math.Abs(n.Value) < 9.0e15 => new IntValue((long)n.Value),
        NumberSyntax n => new DoubleValue(n.Value),
        StringSyntax s => new StringValue(s.Value),
        NameSyntax { Name: "true" or "false" } b => new BoolValue(b.Name == "true"),
        NameSyntax name when !_params.ContainsKey(name.Name) => new EnumValue(name.Name),
        ListSyntax list when list.Items.All(i => i is not ListSyntax) && list.Items.Select(Literal).ToList() is var items && items.All(i => i is not null) =>
            new ListValue(items.Select(i => i!).ToEquatableArray()),
        _ => null,
    };
}
