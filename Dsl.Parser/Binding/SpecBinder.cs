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

/// <summary>Resolves a spec's syntax against the component catalog into the <see cref="Spec"/> model: names,
/// arguments and their types, flow wiring and value types, training settings. Every key is consumed or reported.
/// Each vocabulary has its own binder; this class runs them in order over one shared scope.</summary>
public sealed class SpecBinder
{
    private readonly SourceSet _sources;
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly ParamBinder _params;
    private readonly InputBinder _inputs;
    private readonly ComponentBinder _components;
    private readonly TeacherBinder _teachers;
    private readonly ReplayBinder _replays;
    private readonly FlowBinder _flow;
    private readonly LossBinder _losses;
    private readonly TrainingBinder _training;
    private readonly DataBinder _data;
    private readonly EvalBinder _eval;
    private readonly ConstraintChecker _constraints;
    private readonly ComponentCatalog _catalog;

    private SpecBinder(ComponentCatalog catalog, SourceSet sources, VisibleSpecs specs)
    {
        _sources = sources;
        _catalog = catalog;
        _diagnostics = new DiagnosticSink(sources);
        _scope = new SpecScope(_diagnostics);
        _params = new ParamBinder(_diagnostics);
        var arguments = new ArgumentBinder(_diagnostics, catalog, _params);
        _constraints = arguments.Constraints;
        var functions = new FunctionBinder(catalog, _diagnostics, arguments);
        var blocks = new SettingsBlocks(_diagnostics);
        var shapes = new FlowShapes(_diagnostics, _scope.Inputs);
        _inputs = new InputBinder(_diagnostics, _scope, arguments, functions);
        _components = new ComponentBinder(catalog, _diagnostics, _scope, arguments);
        _teachers = new TeacherBinder(catalog, _diagnostics, _scope, functions, specs);
        _replays = new ReplayBinder(catalog, _diagnostics, _scope, shapes);
        _flow = new FlowBinder(catalog, _diagnostics, _scope, arguments, _components, shapes, _params);
        _losses = new LossBinder(_diagnostics, _scope, _flow);
        _training = new TrainingBinder(_diagnostics, _scope, blocks, arguments, functions, _params);
        _data = new DataBinder(_diagnostics, _scope, blocks, functions);
        _eval = new EvalBinder(_diagnostics, _scope, blocks, _flow, shapes, functions);
    }

    /// <summary>Binds one spec; the model is null when any error was reported.</summary>
    /// <param name="specs">The specs the file can name, which a pretrained teacher's <c>spec:</c> is checked against.</param>
    public static (Spec? Spec, IReadOnlyList<Diagnostic> Diagnostics) Bind(SpecSyntax syntax, SourceSet sources, ComponentCatalog catalog, SpecVariant? variant = null,
        VisibleSpecs? specs = null)
    {
        var binder = new SpecBinder(catalog, sources, specs ?? VisibleSpecs.None);
        var spec = binder.BindSpec(syntax);
        if (spec is not null && variant is not null) spec = spec with { Variant = variant };
        var diagnostics = binder._diagnostics.Reported.OrderBy(d => d.Span.Start).ThenBy(d => d.Code, StringComparer.Ordinal).ToList();
        return (diagnostics.Any(d => d.IsError) ? null : spec, diagnostics);
    }

    private Spec? BindSpec(SpecSyntax syntax)
    {
        var metadata = BindMetadata(syntax.Members.OfType<MetadataSyntax>());
        _params.BindParams(syntax.Members.OfType<ParamSyntax>());
        foreach (var input in syntax.Members.OfType<InputSyntax>()) _inputs.BindInput(input);
        var instances = syntax.Members.OfType<InstanceSyntax>().ToList();
        foreach (var instance in instances.Where(i => !_teachers.IsTeacher(i) && !_replays.IsReplay(i))) _components.BindInstance(instance);
        foreach (var instance in instances.Where(_replays.IsReplay)) _replays.Declare(instance);
        // Teachers copy components, so they bind once every component is known.
        foreach (var instance in instances.Where(_teachers.IsTeacher)) _teachers.BindTeacher(instance);

        var flow = _flow.BindFlow(syntax.Members.OfType<FlowSyntax>().SelectMany(f => f.Bindings));
        var losses = _losses.BindLosses(syntax);
        var replays = _replays.Resolve();
        var reconstructions = ReconstructionFinder.Find(flow, losses, _scope.Components, _catalog);
        var training = _training.BindTraining(syntax);
        _constraints.SetRun(training?.Steps);
        var data = _data.BindData(syntax, training);
        var eval = _eval.BindEval(syntax);
        _scope.ReportUnused();
        _params.ReportShadowingAndUnused(syntax, _scope);

        return training is null || data is null
            ? null
            : new Spec(syntax.Name, _sources.FileOf(syntax.NameSpan.Start).Path, _sources.Line(syntax.NameSpan), metadata, _scope.Inputs.Values.OrderBy(i => i.Location.Line).ToEquatableArray(),
                _scope.Components.ToEquatableArray(), flow.ToEquatableArray(), losses.ToEquatableArray(), training, data,
                Teachers: _scope.Teachers.Values.Select(t => t.Model).ToEquatableArray(), Eval: eval, Params: _params.Models.ToEquatableArray(),
                Reconstructions: reconstructions.ToEquatableArray(), Replays: replays.ToEquatableArray());
    }

    private SpecMetadata BindMetadata(IEnumerable<MetadataSyntax> entries)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (seen.ContainsKey(entry.Key))
            {
                _diagnostics.Report(DiagnosticCodes.Duplicate, entry.KeySpan, $"`{entry.Key}` is given twice", "keep one");
                continue;
            }
            seen[entry.Key] = entry.Value.Value;
        }
        string? Get(string key) => seen.TryGetValue(key, out var v) ? v : null;
        return new SpecMetadata(Get("title"), Get("cite"), Get("source"), Get("version"));
    }
}
