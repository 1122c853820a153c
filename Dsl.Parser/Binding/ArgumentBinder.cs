using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds named arguments to parameter signatures: every argument is consumed or reported, every required
/// parameter is present, every value has the parameter's type; defaults fill the rest in declaration order.</summary>
internal sealed class ArgumentBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly IReadOnlyDictionary<string, FunctionSignature> _schedules;
    private readonly ParamBinder? _params;

    public ArgumentBinder(DiagnosticSink diagnostics, ComponentCatalog catalog, ParamBinder? @params = null)
    {
        _diagnostics = diagnostics;
        _schedules = catalog.Schedules;
        _params = @params;
        Constraints = new ConstraintChecker(diagnostics, catalog);
    }

    /// <summary>Checks the signature's [Constraint]s on what bound; shared by every binder of the spec.</summary>
    public ConstraintChecker Constraints { get; }

    /// <summary>Returns the resolved arguments, or null when any was wrong (each problem reported).</summary>
    /// <param name="constraints">The signature's rules, checked once every argument bound.</param>
    /// <param name="followParams">Whether values may name params (a component's arguments); elsewhere naming one is an error.</param>
    public EquatableArray<Argument>? Bind(string owner, TextSpan ownerSpan, IReadOnlyList<ParameterSignature> parameters, IEnumerable<ArgumentSyntax> arguments,
        IEnumerable<ConstraintSignature>? constraints = null, bool followParams = false)
    {
        var ok = true;
        var given = new Dictionary<string, ArgumentSyntax>(StringComparer.Ordinal);
        // Parameters a misspelt argument evidently stands for: reported once, as the misspelling, not also as missing.
        var meant = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            var name = argument.Name!;
            if (given.ContainsKey(name))
            {
                Report(DiagnosticCodes.Duplicate, argument.NameSpan, $"argument `{name}` is given twice to `{owner}`", "remove one of them");
                ok = false;
                continue;
            }
            if (parameters.All(p => p.Name != name))
            {
                var help = parameters.Count == 0
                    ? $"`{owner}` takes no arguments"
                    : NearMiss.Help(name, parameters.Select(p => p.Name), "its arguments are " + string.Join(", ", parameters.Select(p => $"`{p.Name}`")));
                if (NearMiss.Find(name, parameters.Select(p => p.Name)) is { } near) meant.Add(near);
                Report(DiagnosticCodes.UnknownArgument, argument.NameSpan, $"`{owner}` has no argument `{name}`", help);
                ok = false;
                continue;
            }
            given.Add(name, argument);
        }

        var resolved = new List<Argument>();
        foreach (var parameter in parameters)
        {
            if (given.TryGetValue(parameter.Name, out var argument))
            {
                ParamUse? use = null;
                var value = followParams ? Follow(argument.Value, parameter, owner, out use) : Convert(argument.Value, parameter, owner);
                if (value is null) ok = false;
                else resolved.Add(new Argument(parameter.Name, value, use));
            }
            else if (parameter.Default is { } value)
            {
                resolved.Add(new Argument(parameter.Name, value));
            }
            else if (!meant.Contains(parameter.Name))
            {
                Report(DiagnosticCodes.MissingArgument, ownerSpan, $"`{owner}` needs the argument `{parameter.Name}` ({parameter.TypeDescription})",
                    $"add `{parameter.Name}: <value>`");
                ok = false;
            }
        }
        if (!ok) return null;
        if (constraints is not null)
            Constraints.CheckArguments(owner, ownerSpan, constraints, parameters, resolved, given.ToDictionary(g => g.Key, g => g.Value.Value.Span, StringComparer.Ordinal));
        return resolved.ToEquatableArray();
    }

    public Value? Convert(ExpressionSyntax syntax, ParameterSignature parameter, string owner)
    {
        if (syntax is CallSyntax { Callee: NameSyntax callee } call && _schedules.TryGetValue(callee.Name, out var schedule))
        {
            return BindSchedule(call, callee, schedule, parameter, owner);
        }
        var value = TryConvert(syntax, parameter);
        if (value is null && _params is not null && _params.RejectsIn(syntax, $"the arguments of `{owner}`")) return null;
        if (value is null && syntax is NameSyntax misspelt && _params?.Nearest(misspelt.Name) is { } param
            && (parameter.Kind != ParameterKind.Enum || NearMiss.Find(misspelt.Name, parameter.EnumMembers) is null))
        {
            Report(DiagnosticCodes.UnknownName, syntax.Span, $"`{misspelt.Name}` is not a param", $"did you mean `{param}`?");
            return null;
        }
        if (value is null)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span,
                $"`{parameter.Name}` of `{owner}` must be {parameter.TypeDescription}, found {Describe(syntax)}",
                parameter.Kind == ParameterKind.Enum ? NearMiss.Help((syntax as NameSyntax)?.Name ?? string.Empty, parameter.EnumMembers, parameter.TypeDescription) : null);
        }
        return value;
    }

    /// <summary>A value that may name params, as a whole (<c>dim: dim</c>) or as items of a list (<c>grid: [rows, 8]</c>);
    /// <paramref name="use"/> says which.</summary>
    public Value? Follow(ExpressionSyntax syntax, ParameterSignature parameter, string owner, out ParamUse? use)
    {
        use = null;
        if (_params is null || !_params.Mentions(syntax)) return Convert(syntax, parameter, owner);
        if (syntax is NameSyntax name)
        {
            use = ParamUse.Of(name.Name);
            return _params.Resolve(name, parameter, owner);
        }
        var list = (ListSyntax)syntax;
        if (ElementOf(parameter) is not { } element)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span, $"`{parameter.Name}` of `{owner}` must be {parameter.TypeDescription}, found a list", null);
            return null;
        }
        var items = new List<Value>();
        var ok = true;
        foreach (var item in list.Items)
        {
            var value = item is NameSyntax n && _params.IsParam(n.Name) ? _params.Resolve(n, element, owner) : Convert(item, element, owner);
            if (value is null) ok = false;
            else items.Add(value);
        }
        use = new ParamUse(null, list.Items.Select(i => i is NameSyntax n && _params.IsParam(n.Name) ? n.Name : null).ToEquatableArray());
        return ok ? new ListValue(items.ToEquatableArray()) : null;
    }

    /// <summary>The signature of one item of a list parameter; null for a parameter that is not a list.</summary>
    private static ParameterSignature? ElementOf(ParameterSignature parameter) => parameter.Kind switch
    {
        ParameterKind.IntList => parameter with { Kind = ParameterKind.Long },
        ParameterKind.DoubleList => parameter with { Kind = ParameterKind.Double },
        ParameterKind.DurationList => parameter with { Kind = ParameterKind.Duration },
        ParameterKind.StringList => parameter with { Kind = ParameterKind.String },
        _ => null,
    };

    private Value? BindSchedule(CallSyntax call, NameSyntax callee, FunctionSignature schedule, ParameterSignature parameter, string owner)
    {
        if (parameter.Kind != ParameterKind.Double || !parameter.Schedulable)
        {
            Report(DiagnosticCodes.ArgumentType, call.Span, $"`{parameter.Name}` of `{owner}` cannot change during training, so it takes {parameter.TypeDescription}, not a schedule",
                parameter.Kind == ParameterKind.Double ? $"a component makes an argument schedulable with a settable property `{parameter.ClrName}`" : null);
            return null;
        }
        var positional = call.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            Report(DiagnosticCodes.Syntax, positional.Span, $"arguments of `{callee.Name}` must be named", "write `name: value`");
            return null;
        }
        var arguments = Bind(callee.Name, callee.Span, schedule.Parameters.ToList(), call.Arguments, schedule.Constraints);
        return arguments is null ? null : new ScheduleValue(new FunctionModel(callee.Name, arguments.Value, schedule.ClrType));
    }

    internal static Value? TryConvert(ExpressionSyntax syntax, ParameterSignature parameter)
    {
        switch (parameter.Kind)
        {
            case ParameterKind.Int:
            case ParameterKind.Long:
                return syntax is NumberSyntax n && IsWhole(n.Value) && (parameter.Kind == ParameterKind.Long || Math.Abs(n.Value) <= int.MaxValue)
                    ? new IntValue((long)n.Value) : null;
            case ParameterKind.Double:
                return syntax is NumberSyntax d ? new DoubleValue(d.Value) : null;
            case ParameterKind.Bool:
                return syntax is NameSyntax { Name: "true" or "false" } b ? new BoolValue(b.Name == "true") : null;
            case ParameterKind.String:
                return syntax is StringSyntax s ? new StringValue(s.Value) : null;
            case ParameterKind.Enum:
                return syntax is NameSyntax e && parameter.EnumMembers.Contains(e.Name) ? new EnumValue(e.Name) : null;
            case ParameterKind.Duration:
                if (syntax is not NumberSyntax duration) return null;
                if (duration.IsWhole) return duration.Value >= 0 && IsWhole(duration.Value) ? new IntValue((long)duration.Value) : null;
                return duration.Value is >= 0.0 and <= 1.0 ? new DoubleValue(duration.Value) : null;
            case ParameterKind.IntList:
            case ParameterKind.DoubleList:
            case ParameterKind.DurationList:
            case ParameterKind.StringList:
                if (syntax is not ListSyntax list) return null;
                var element = ElementOf(parameter)!;
                var items = list.Items.Select(i => TryConvert(i, element)).ToList();
                return items.Any(i => i is null) ? null : new ListValue(items.Select(i => i!).ToEquatableArray());
            default:
                return null;
        }
    }

    private static bool IsWhole(double value) => Math.Abs(value - Math.Round(value)) == 0 && Math.Abs(value) < 9.0e15;

    public static string Describe(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax n => $"`{n.Text}`",
        StringSyntax => "a string",
        NameSyntax name => $"`{name.Name}`",
        ListSyntax => "a list",
        CallSyntax => "a call",
        _ => "an expression",
    };

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
