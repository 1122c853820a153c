using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds the language's teachers, which are not catalog components: <c>teacher = ema(of: [patches, encoder],
/// decay: …)</c> and <c>teacher = pretrained(spec: Mavil, run: "runs/mavil", of: [a_encoder, …])</c>.</summary>
internal sealed class TeacherBinder
{
    private const string Ema = "ema";
    private const string Pretrained = "pretrained";

    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly FunctionBinder _functions;
    private readonly VisibleSpecs _specs;

    public TeacherBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, SpecScope scope, FunctionBinder functions, VisibleSpecs specs)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        _scope = scope;
        _functions = functions;
        _specs = specs;
    }

    /// <summary>A catalog component named <c>ema</c> or <c>pretrained</c> takes precedence over the language's teacher.</summary>
    public bool IsTeacher(InstanceSyntax instance) =>
        instance.Constructor.Callee is NameSyntax { Name: Ema or Pretrained } callee && _catalog.Find(callee.Name) is null;

    private static readonly ConstraintSignature[] DecayRules = { new("0 <= decay <= 1", "the decay is the share of the teacher kept each step: 0 ≤ decay ≤ 1") };

    public void BindTeacher(InstanceSyntax instance)
    {
        if (_scope.IsDeclared(instance.Name, instance.NameSpan)) return;
        _scope.Failed.Add(instance.Name);
        var kind = ((NameSyntax)instance.Constructor.Callee).Name;
        var settings = Settings(instance.Constructor, kind);
        if (settings is null) return;
        var of = BindOf(settings["of"].Value);
        if (of is null) return;
        var teacher = kind == Ema ? BindEma(instance, settings, of) : BindPretrained(instance, settings, of);
        if (teacher is null) return;
        _scope.DeclareTeacher(teacher, instance.NameSpan);
        _scope.Failed.Remove(instance.Name);
    }

    private TeacherModel? BindEma(InstanceSyntax instance, Dictionary<string, ArgumentSyntax> settings, List<NameSyntax> of)
    {
        var decaySyntax = settings["decay"].Value;
        var decay = _functions.BindSchedule(decaySyntax);
        if (decay is null) return null;
        _functions.Arguments.Constraints.CheckSettings(Ema, instance.Constructor.Callee.Span, DecayRules, new[] { ("decay", (Value)new ScheduleValue(decay), decaySyntax.Span) });
        return new EmaTeacherModel(instance.Name, Names(of), decay, Location(instance.NameSpan));
    }

    private TeacherModel? BindPretrained(InstanceSyntax instance, Dictionary<string, ArgumentSyntax> settings, List<NameSyntax> of)
    {
        string spec;
        switch (settings["spec"].Value)
        {
            case NameSyntax name:
                if (!FitsSpec(name, of)) return null;
                spec = name.Name;
                break;
            // A string names a spec this file cannot see (a run's own spec.avml is such a file): checked against the
            // run's checkpoint when the weights load, not here.
            case StringSyntax { Value.Length: > 0 } text:
                spec = text.Value;
                break;
            case var other:
                Report(DiagnosticCodes.ArgumentType, other.Span, "`spec` names the spec the teacher's run trained, such as `spec: Mavil`", null);
                return null;
        }
        if (settings["run"].Value is not StringSyntax { Value.Length: > 0 } run)
        {
            Report(DiagnosticCodes.ArgumentType, settings["run"].Value.Span, "`run` must be a string: the run directory of that spec, such as `run: \"runs/mavil\"`",
                "a relative path is taken from the folder avdsl runs in, as a manifest's is");
            return null;
        }
        return new PretrainedTeacherModel(instance.Name, Names(of), spec, run.Value, Location(instance.NameSpan));
    }

    /// <summary>Whether spec <paramref name="name"/> exists and has every component the teacher copies, of the same kind,
    /// so that its run's weights can load into them; each problem is reported where it is written.</summary>
    private bool FitsSpec(NameSyntax name, List<NameSyntax> of)
    {
        if (!_specs.Contains(name.Name))
        {
            Report(DiagnosticCodes.UnknownSpec, name.Span, $"no spec named `{name.Name}` to take the teacher from",
                NearMiss.Help(name.Name, _specs.Names, "declare it in this file or `import` the file that holds it; a spec this file cannot see is written as a string, `spec: \"Name\"`, and checked against the run when the weights load"));
            return false;
        }
        // A broken chain of extends is reported where that spec is declared.
        if (_specs.Composed(name.Name) is not { } stageOne) return false;
        var theirs = stageOne.Members.OfType<InstanceSyntax>().Where(i => !IsTeacher(i)).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var fits = true;
        foreach (var item in of)
        {
            var mine = _scope.Instances[item.Name].Model.Component;
            if (!theirs.TryGetValue(item.Name, out var their))
            {
                Report(DiagnosticCodes.TeacherSpec, item.Span, $"spec `{name.Name}` has no component `{item.Name}` to load the teacher's copy from",
                    NearMiss.Help(item.Name, theirs.Keys, $"a pretrained teacher copies components that this spec and `{name.Name}` both declare, by name"));
                fits = false;
            }
            else if (their.Constructor.Callee is NameSyntax { Name: var kind } && kind != mine)
            {
                var file = _diagnostics.Sources.FileOf(their.NameSpan.Start);
                _diagnostics.Add(Diagnostic.Create(DiagnosticCodes.TeacherSpec, _diagnostics.Sources.FileOf(item.Span.Start), item.Span,
                    $"`{item.Name}` is a `{mine}` here but a `{kind}` in spec `{name.Name}`, so its weights cannot load",
                    $"copy only components built alike in both specs") with
                {
                    Notes = new[] { Diagnostic.Note(file, their.NameSpan, $"`{item.Name}` of spec `{name.Name}`") }.ToEquatableArray(),
                });
                fits = false;
            }
        }
        return fits;
    }

    /// <summary>The named arguments of a teacher, each once, the required ones present; null when any is wrong (reported).</summary>
    private Dictionary<string, ArgumentSyntax>? Settings(CallSyntax call, string kind)
    {
        var known = kind == Ema ? new[] { "of", "decay" } : new[] { "spec", "run", "of" };
        var settings = new Dictionary<string, ArgumentSyntax>(StringComparer.Ordinal);
        // A misspelt argument is one error, not also the missing one it meant.
        var meant = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var argument in call.Arguments)
        {
            if (argument.Name is null)
            {
                Report(DiagnosticCodes.Syntax, argument.Span, $"arguments of `{kind}` must be named",
                    kind == Ema ? "write `ema(of: [encoder], decay: linear(from: 0.999, to: 0.9999))`" : "write `pretrained(spec: Mavil, run: \"runs/mavil\", of: [encoder])`");
                ok = false;
            }
            else if (!known.Contains(argument.Name))
            {
                if (NearMiss.Find(argument.Name, known) is { } near) meant.Add(near);
                Report(DiagnosticCodes.UnknownArgument, argument.NameSpan, $"`{kind}` has no argument `{argument.Name}`",
                    NearMiss.Help(argument.Name, known, $"its arguments are {string.Join(", ", known.Select(k => $"`{k}`").Take(known.Length - 1))} and `{known.Last()}`"));
                ok = false;
            }
            else if (settings.ContainsKey(argument.Name))
            {
                Report(DiagnosticCodes.Duplicate, argument.NameSpan, $"`{argument.Name}` is given twice", "keep one");
                ok = false;
            }
            else settings[argument.Name] = argument;
        }
        foreach (var required in known.Where(r => !settings.ContainsKey(r) && !meant.Contains(r)))
        {
            Report(DiagnosticCodes.MissingArgument, call.Callee.Span, $"`{kind}` needs `{required}`", required switch
            {
                "of" => "list the student components the teacher copies: `of: [patches, encoder]`",
                "decay" => "a number or a schedule: `decay: linear(from: 0.9998, to: 0.99999, over: 100000)`",
                "spec" => "name the spec the teacher's run trained: `spec: Mavil`",
                _ => "the run directory `avdsl train` made for that spec: `run: \"runs/mavil\"`",
            });
            ok = false;
        }
        return ok ? settings : null;
    }

    /// <summary><c>of: [patches, encoder]</c>: components of this spec, each once; null when not (reported).</summary>
    private List<NameSyntax>? BindOf(ExpressionSyntax value)
    {
        if (value is not ListSyntax { Items.Count: > 0 } list || list.Items.Any(i => i is not NameSyntax))
        {
            Report(DiagnosticCodes.ArgumentType, value.Span, "`of` must list component names, such as `[patches, encoder]`", null);
            return null;
        }
        var of = new List<NameSyntax>();
        foreach (var item in list.Items.Cast<NameSyntax>())
        {
            if (_scope.Failed.Contains(item.Name)) return null;
            if (!_scope.Instances.ContainsKey(item.Name))
            {
                Report(DiagnosticCodes.UnknownName, item.Span, $"`{item.Name}` is not a component",
                    NearMiss.Help(item.Name, _scope.Instances.Keys, "a teacher copies components declared in this spec"));
                return null;
            }
            if (of.Any(o => o.Name == item.Name))
            {
                Report(DiagnosticCodes.Duplicate, item.Span, $"`{item.Name}` is listed twice", "keep one");
                return null;
            }
            of.Add(item);
        }
        return of;
    }

    private static EquatableArray<string> Names(List<NameSyntax> of) => of.Select(o => o.Name).ToEquatableArray();

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
