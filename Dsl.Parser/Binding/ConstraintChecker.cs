using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Constraints;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Checks the catalog's <c>[Constraint]</c>s on bound arguments: where the arguments bind (rules over arguments
/// alone), where a component is called (rules that read its shape rule's symbols), and once the run's length is known
/// (rules that read <c>run</c>). A scheduled argument is checked at every bound of its schedule.</summary>
internal sealed class ConstraintChecker
{
    /// <summary>The run's length in steps, as a rule names it.</summary>
    public const string Run = "run";

    private readonly DiagnosticSink _diagnostics;
    private readonly IReadOnlyDictionary<string, FunctionSignature> _schedules;
    private readonly Dictionary<string, ConstraintExpr?> _rules = new(StringComparer.Ordinal);
    private readonly List<Action> _waitingForRun = new();
    private long? _run;

    public ConstraintChecker(DiagnosticSink diagnostics, ComponentCatalog catalog)
    {
        _diagnostics = diagnostics;
        _schedules = catalog.Schedules;
    }

    /// <summary>Rules over the arguments alone; those that read <c>run</c> wait for <see cref="SetRun"/>.</summary>
    /// <param name="given">Where each argument written in the spec is, to point at it.</param>
    public void CheckArguments(string owner, TextSpan ownerSpan, IEnumerable<ConstraintSignature> constraints, IReadOnlyList<ParameterSignature> parameters,
        IReadOnlyList<Argument> arguments, IReadOnlyDictionary<string, TextSpan> given)
    {
        foreach (var constraint in constraints)
        {
            if (Parse(constraint, owner, ownerSpan) is not { } rule) continue;
            var names = ConstraintParser.Names(rule).Distinct().ToList();
            if (names.Any(n => n != Run && parameters.All(p => p.Name != n))) continue; // reads shapes: checked at the call
            void Check() => Evaluate(owner, ownerSpan, constraint, rule, names, parameters, arguments, given, symbols: null);
            if (names.Contains(Run)) _waitingForRun.Add(Check);
            else Check();
        }
    }

    /// <summary>Rules over the language's own settings (<c>train</c>'s keys, <c>ema</c>'s decay), each given with its value
    /// and where it is written; a rule over a setting that is absent is not judged.</summary>
    public void CheckSettings(string owner, TextSpan ownerSpan, IEnumerable<ConstraintSignature> constraints, IEnumerable<(string Name, Value Value, TextSpan Span)> settings)
    {
        var given = settings.ToList();
        CheckArguments(owner, ownerSpan, constraints,
            given.Select(s => new ParameterSignature(s.Name, s.Name, ParameterKind.Double, null)).ToList(),
            given.Select(s => new Argument(s.Name, s.Value)).ToList(),
            given.ToDictionary(s => s.Name, s => s.Span, StringComparer.Ordinal));
    }

    /// <summary>Rules that read the shape rule's symbols, with the symbols the call's inputs bound.</summary>
    /// <param name="given">Where the call writes each argument, for a component declared on the spot.</param>
    public void CheckCall(string owner, TextSpan span, IEnumerable<ConstraintSignature> constraints, IReadOnlyList<ParameterSignature> parameters,
        IReadOnlyList<Argument> arguments, IReadOnlyDictionary<string, Dim> symbols, IReadOnlyDictionary<string, TextSpan> given)
    {
        foreach (var constraint in constraints)
        {
            if (Parse(constraint, owner, span) is not { } rule) continue;
            var names = ConstraintParser.Names(rule).Distinct().ToList();
            if (names.All(n => n == Run || parameters.Any(p => p.Name == n))) continue; // checked where the arguments bound
            Evaluate(owner, span, constraint, rule, names, parameters, arguments, given, symbols);
        }
    }

    /// <summary>The run's length is known (null when it counts epochs of a manifest whose size only the run sees).</summary>
    public void SetRun(long? steps)
    {
        _run = steps;
        if (steps is null) return;
        foreach (var check in _waitingForRun) check();
        _waitingForRun.Clear();
    }

    private ConstraintExpr? Parse(ConstraintSignature constraint, string owner, TextSpan span)
    {
        if (_rules.TryGetValue(constraint.Rule, out var known)) return known;
        var rule = ConstraintParser.Parse(constraint.Rule, out var error);
        _rules[constraint.Rule] = rule;
        if (rule is null)
        {
            _diagnostics.Report(DiagnosticCodes.ShapeRule, span, $"the constraint `{constraint.Rule}` of `{owner}` cannot be read: {error}",
                "this is a problem of the component's C# class, not of the spec");
        }
        return rule;
    }

    private void Evaluate(string owner, TextSpan ownerSpan, ConstraintSignature constraint, ConstraintExpr rule, IReadOnlyList<string> names,
        IReadOnlyList<ParameterSignature> parameters, IReadOnlyList<Argument> arguments, IReadOnlyDictionary<string, TextSpan> given,
        IReadOnlyDictionary<string, Dim>? symbols)
    {
        var candidates = names.ToDictionary(n => n, n => Candidates(n, parameters, arguments, symbols));
        foreach (var point in Points(names, candidates))
        {
            if (ConstraintEvaluator.Holds(rule, n => point.TryGetValue(n, out var v) ? v.Value : null) != false) continue;
            var values = names.Where(n => point[n].Value is not null).Select(n => $"{n} {(point[n].FromSchedule ? "reaches" : "=")} {Show(point[n].Value!)}");
            var span = names.Where(given.ContainsKey).Select(n => given[n]).DefaultIfEmpty(ownerSpan).First();
            _diagnostics.Report(DiagnosticCodes.Constraint, span,
                $"`{owner}`: {constraint.Message ?? $"`{constraint.Rule}` must hold"}, but {string.Join(", ", values)}",
                $"the rule is `{constraint.Rule}`" + (names.Any(n => point[n].FromSchedule) ? "; a schedule is checked at both ends" : ""));
            return;
        }
    }

    /// <summary>Every combination of the names' candidate values (a scheduled argument has several).</summary>
    private static IEnumerable<Dictionary<string, Candidate>> Points(IReadOnlyList<string> names, IReadOnlyDictionary<string, List<Candidate>> candidates)
    {
        IEnumerable<Dictionary<string, Candidate>> points = new[] { new Dictionary<string, Candidate>(StringComparer.Ordinal) };
        foreach (var name in names)
        {
            points = points.SelectMany(p => candidates[name].Select(c => new Dictionary<string, Candidate>(p, StringComparer.Ordinal) { [name] = c }));
        }
        return points;
    }

    private readonly record struct Candidate(object? Value, bool FromSchedule = false);

    private List<Candidate> Candidates(string name, IReadOnlyList<ParameterSignature> parameters, IReadOnlyList<Argument> arguments, IReadOnlyDictionary<string, Dim>? symbols)
    {
        if (name == Run) return new() { new(_run is { } run ? (double)run : null) };
        var parameter = parameters.FirstOrDefault(p => p.Name == name);
        var argument = arguments.FirstOrDefault(a => a.Name == name);
        if (parameter is null || argument is null)
        {
            return new() { new(symbols is not null && symbols.TryGetValue(name, out var dim) && dim.Size is { } size ? (double)size : null) };
        }
        if (argument.Value is ScheduleValue { Schedule: var schedule })
        {
            var moves = schedule.Kind != ComponentCatalog.ConstantSchedule;
            return ScheduleBounds(schedule).Select(v => new Candidate(v, moves)).DefaultIfEmpty(new Candidate(null)).ToList();
        }
        return new() { new(Plain(argument.Value, parameter.Kind)) };
    }

    /// <summary>The values that bound a schedule, from its <c>Range</c>: <c>linear(from: 0.5, to: 1.2)</c> gives 0.5 and 1.2.</summary>
    private IEnumerable<object?> ScheduleBounds(FunctionModel schedule)
    {
        if (!_schedules.TryGetValue(schedule.Kind, out var signature)) yield break;
        foreach (var bound in signature.Range)
        {
            if (double.TryParse(bound, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                yield return number;
                continue;
            }
            var value = schedule.Arguments.FirstOrDefault(a => a.Name == bound)?.Value;
            if (value is ListValue list)
                foreach (var item in list.Items) yield return Plain(item, ParameterKind.Double);
            else if (value is not null)
                yield return Plain(value, ParameterKind.Double);
        }
    }

    private object? Plain(Value value, ParameterKind kind) => value switch
    {
        IntValue i => (double)i.Value,
        DoubleValue d when kind is ParameterKind.Duration or ParameterKind.DurationList => _run is { } run ? d.Value * run : null,
        DoubleValue d => d.Value,
        BoolValue b => b.Value,
        EnumValue e => e.Member,
        StringValue s => s.Value,
        ListValue l => l.Items.Select(i => Plain(i, kind)).ToList() is var items && items.All(i => i is double) ? items.Cast<double>().ToList() : null,
        _ => null,
    };

    private static string Show(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IReadOnlyList<double> list => "[" + string.Join(", ", list.Select(d => d.ToString("R", CultureInfo.InvariantCulture))) + "]",
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };
}
