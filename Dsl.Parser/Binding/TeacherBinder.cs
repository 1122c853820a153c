using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>teacher = ema(of: [patches, encoder], decay: …)</c>: the language's EMA teacher, not a catalog component.</summary>
internal sealed class TeacherBinder
{
    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly FunctionBinder _functions;

    public TeacherBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, SpecScope scope, FunctionBinder functions)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        _scope = scope;
        _functions = functions;
    }

    /// <summary>A catalog component named <c>ema</c> takes precedence over the language's teacher.</summary>
    public bool IsTeacher(InstanceSyntax instance) =>
        instance.Constructor.Callee is NameSyntax { Name: "ema" } && _catalog.Find("ema") is null;

    private static readonly ConstraintSignature[] DecayRules = { new("0 <= decay <= 1", "the decay is the share of the teacher kept each step: 0 ≤ decay ≤ 1") };

    public void BindTeacher(InstanceSyntax instance)
    {
        if (_scope.IsDeclared(instance.Name, instance.NameSpan)) return;
        _scope.Failed.Add(instance.Name);
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
            if (_scope.Failed.Contains(item.Name)) return;
            if (!_scope.Instances.TryGetValue(item.Name, out var student))
            {
                Report(DiagnosticCodes.UnknownName, item.Span, $"`{item.Name}` is not a component",
                    NearMiss.Help(item.Name, _scope.Instances.Keys, "a teacher copies components declared in this spec"));
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
        var decay = _functions.BindSchedule(decaySyntax);
        if (decay is null) return;
        _functions.Arguments.Constraints.CheckSettings("ema", callee.Span, DecayRules, new[] { ("decay", (Value)new ScheduleValue(decay), decaySyntax.Span) });
        _scope.DeclareTeacher(new TeacherModel(instance.Name, of.ToEquatableArray(), decay, Location(instance.NameSpan)), instance.NameSpan);
        _scope.Failed.Remove(instance.Name);
    }

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
