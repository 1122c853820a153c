using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>The names one spec declares — inputs, components, teachers and flow values share one namespace — and
/// which of them are used.</summary>
internal sealed class SpecScope
{
    private readonly DiagnosticSink _diagnostics;
    private readonly Dictionary<string, InputModel> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ComponentModel Model, ComponentSignature Signature, TextSpan NameSpan)> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Type, TextSpan NameSpan)> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TeacherModel Model, TextSpan NameSpan)> _teachers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ReplayDeclaration Declaration, TextSpan NameSpan)> _replays = new(StringComparer.Ordinal);
    private readonly List<ComponentModel> _components = new();
    private readonly HashSet<string> _usedInstances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);
    // Flow values out of reach while `eval { … }` binds.
    private List<string>? _hiddenValues;

    public SpecScope(DiagnosticSink diagnostics) => _diagnostics = diagnostics;

    public IReadOnlyDictionary<string, InputModel> Inputs => _inputs;

    public IReadOnlyDictionary<string, (ComponentModel Model, ComponentSignature Signature, TextSpan NameSpan)> Instances => _instances;

    public IReadOnlyDictionary<string, (string Type, TextSpan NameSpan)> Values => _values;

    public IReadOnlyDictionary<string, (TeacherModel Model, TextSpan NameSpan)> Teachers => _teachers;

    /// <summary>Replay buffers, in the order declared.</summary>
    public IReadOnlyDictionary<string, (ReplayDeclaration Declaration, TextSpan NameSpan)> Replays => _replays;

    /// <summary>Declared and inline components, in the order they were bound.</summary>
    public IReadOnlyList<ComponentModel> Components => _components;

    /// <summary>Names whose declaration failed: uses of them are not reported again (one error, not a cascade).</summary>
    public HashSet<string> Failed { get; } = new(StringComparer.Ordinal);

    public void DeclareInput(InputModel input) => _inputs[input.Name] = input;

    public void DeclareInstance(ComponentModel model, ComponentSignature signature, TextSpan nameSpan)
    {
        _instances[model.Name] = (model, signature, nameSpan);
        _components.Add(model);
    }

    public void DeclareTeacher(TeacherModel teacher, TextSpan nameSpan) => _teachers[teacher.Name] = (teacher, nameSpan);

    public void DeclareReplay(ReplayDeclaration replay, TextSpan nameSpan) => _replays[replay.Name] = (replay, nameSpan);

    public void DeclareValue(string name, string type, TextSpan nameSpan) => _values[name] = (type, nameSpan);

    public void UseInstance(string name) => _usedInstances.Add(name);

    public void UseValue(string name) => _usedValues.Add(name);

    /// <summary>Marks every value and component a statement names as used. Called when the statement has an error, so
    /// that it is reported once, not followed by warnings that what it uses is unused.</summary>
    public void UseEverythingIn(Syntax.ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case Syntax.NameSyntax name:
                if (_values.ContainsKey(name.Name)) _usedValues.Add(name.Name);
                if (_instances.ContainsKey(name.Name) || _teachers.ContainsKey(name.Name) || _replays.ContainsKey(name.Name)) _usedInstances.Add(name.Name);
                break;
            case Syntax.MemberSyntax member:
                UseEverythingIn(member.Target);
                if (_instances.ContainsKey(member.Name)) _usedInstances.Add(member.Name);
                break;
            case Syntax.CallSyntax call:
                UseEverythingIn(call.Callee);
                foreach (var argument in call.Arguments) UseEverythingIn(argument.Value);
                break;
            case Syntax.IndexSyntax index:
                UseEverythingIn(index.Target);
                UseEverythingIn(index.Index);
                break;
            case Syntax.BinarySyntax binary:
                UseEverythingIn(binary.Left);
                UseEverythingIn(binary.Right);
                break;
            case Syntax.NegateSyntax negate:
                UseEverythingIn(negate.Operand);
                break;
            case Syntax.ListSyntax list:
                foreach (var item in list.Items) UseEverythingIn(item);
                break;
        }
    }

    /// <summary>Whether a flow value exists but is out of reach (see <see cref="InEvalScope{T}"/>).</summary>
    public bool IsHiddenValue(string name) => _hiddenValues?.Contains(name) == true;

    /// <summary>Runs <paramref name="bind"/> with the flow values out of scope and in a value scope of its own (the
    /// <c>eval</c> block's), then drops the values it declared and restores the flow's.</summary>
    public T InEvalScope<T>(Func<T> bind)
    {
        var hidden = _values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var used = _usedValues.ToList();
        _values.Clear();
        _usedValues.Clear();
        _hiddenValues = hidden.Keys.ToList();
        try
        {
            return bind();
        }
        finally
        {
            _hiddenValues = null;
            _values.Clear();
            _usedValues.Clear();
            foreach (var (name, value) in hidden) _values[name] = value;
            _usedValues.UnionWith(used);
        }
    }

    /// <summary>The values declared in the current value scope that nothing used.</summary>
    public IReadOnlyList<(string Name, TextSpan NameSpan)> UnusedValues() =>
        _values.Where(v => !_usedValues.Contains(v.Key)).Select(v => (v.Key, v.Value.NameSpan)).ToList();

    /// <summary>True (and reported) when the name is taken already.</summary>
    public bool IsDeclared(string name, TextSpan span)
    {
        if (_inputs.ContainsKey(name) || _instances.ContainsKey(name) || _values.ContainsKey(name) || _teachers.ContainsKey(name) || _replays.ContainsKey(name))
        {
            _diagnostics.Report(DiagnosticCodes.Duplicate, span, $"`{name}` is declared twice", "inputs, components and flow values share one namespace; rename one");
            return true;
        }
        return false;
    }

    public string UniqueInstanceName(string name)
    {
        var candidate = name;
        for (var i = 2; _instances.ContainsKey(candidate) || _inputs.ContainsKey(candidate) || _values.ContainsKey(candidate) || _teachers.ContainsKey(candidate)
            || _replays.ContainsKey(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }

    public void ReportUnused()
    {
        foreach (var (name, instance) in _instances)
        {
            if (!_usedInstances.Contains(name))
            {
                _diagnostics.Report(DiagnosticCodes.UnusedComponent, instance.NameSpan, $"component `{name}` is never used", "call it in the flow or remove it");
            }
        }
        foreach (var (name, teacher) in _teachers)
        {
            if (!_usedInstances.Contains(name))
            {
                _diagnostics.Report(DiagnosticCodes.UnusedComponent, teacher.NameSpan, $"teacher `{name}` is never used", $"call one of its copies in the flow, such as `{name}.{teacher.Model.Of[0]}(…)`, or remove it");
            }
        }
        foreach (var (name, replay) in _replays)
        {
            if (!_usedInstances.Contains(name))
            {
                _diagnostics.Report(DiagnosticCodes.UnusedComponent, replay.NameSpan, $"replay buffer `{name}` is stored into but never sampled",
                    ReplayBinder.SampleHelp(name) + ", or remove it");
            }
        }
        foreach (var (name, value) in _values)
        {
            if (!_usedValues.Contains(name))
            {
                _diagnostics.Report(DiagnosticCodes.UnusedValue, value.NameSpan, $"flow value `{name}` is never used", "use it in a later value or a loss, or remove it");
            }
        }
    }
}
