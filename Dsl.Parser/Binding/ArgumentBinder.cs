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

    public ArgumentBinder(DiagnosticSink diagnostics, ComponentCatalog catalog)
    {
        _diagnostics = diagnostics;
        _schedules = catalog.Schedules;
    }

    /// <summary>Returns the resolved arguments, or null when any was wrong (each problem reported).</summary>
    public EquatableArray<Argument>? Bind(string owner, TextSpan ownerSpan, IReadOnlyList<ParameterSignature> parameters, IEnumerable<ArgumentSyntax> arguments)
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
                var value = Convert(argument.Value, parameter, owner);
                if (value is null) ok = false;
                else resolved.Add(new Argument(parameter.Name, value));
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
        return ok ? resolved.ToEquatableArray() : null;
    }

    public Value? Convert(ExpressionSyntax syntax, ParameterSignature parameter, string owner)
    {
        if (syntax is CallSyntax { Callee: NameSyntax callee } call && _schedules.TryGetValue(callee.Name, out var schedule))
        {
            return BindSchedule(call, callee, schedule, parameter, owner);
        }
        var value = TryConvert(syntax, parameter);
        if (value is null)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span,
                $"`{parameter.Name}` of `{owner}` must be {parameter.TypeDescription}, found {Describe(syntax)}",
                parameter.Kind == ParameterKind.Enum ? NearMiss.Help((syntax as NameSyntax)?.Name ?? string.Empty, parameter.EnumMembers, parameter.TypeDescription) : null);
        }
        return value;
    }

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
        var arguments = Bind(callee.Name, callee.Span, schedule.Parameters.ToList(), call.Arguments);
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
                if (syntax is not ListSyntax list) return null;
                var element = parameter with
                {
                    Kind = parameter.Kind switch { ParameterKind.IntList => ParameterKind.Long, ParameterKind.DoubleList => ParameterKind.Double, _ => ParameterKind.Duration },
                };
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
