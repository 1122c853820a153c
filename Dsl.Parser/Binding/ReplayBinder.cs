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

/// <summary>
/// Binds the language's replay buffers, which are state rather than catalog components:
/// <c>memory = replay_buffer(size: 2000, stores: [audio, video, a_embed])</c>. The declaration binds before the flow (so the flow
/// can draw from it: <c>memory.sample(audio)</c>); what it stores is checked after the flow, since a stored value may be
/// computed after the draw.
/// </summary>
internal sealed class ReplayBinder
{
    public const string Kind = "replay_buffer";
    private const string Example = "`replay_buffer(size: 2000, stores: [audio, video])`";
    private static readonly string[] Known = { "size", "stores" };

    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly FlowShapes _shapes;

    public ReplayBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, SpecScope scope, FlowShapes shapes)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        _scope = scope;
        _shapes = shapes;
    }

    /// <summary>A catalog component named <c>replay_buffer</c> takes precedence over the language's buffer.</summary>
    public bool IsReplay(InstanceSyntax instance) =>
        instance.Constructor.Callee is NameSyntax { Name: Kind } && _catalog.Find(Kind) is null;

    public void Declare(InstanceSyntax instance)
    {
        if (_scope.IsDeclared(instance.Name, instance.NameSpan)) return;
        _scope.Failed.Add(instance.Name);
        var call = instance.Constructor;
        var arguments = new Dictionary<string, ArgumentSyntax>(StringComparer.Ordinal);
        foreach (var argument in call.Arguments)
        {
            if (argument.Name is null)
            {
                Report(DiagnosticCodes.Syntax, argument.Span, $"arguments of `{Kind}` must be named", "write " + Example);
                return;
            }
            if (!Known.Contains(argument.Name))
            {
                Report(DiagnosticCodes.UnknownArgument, argument.NameSpan, $"`{Kind}` has no argument `{argument.Name}`",
                    NearMiss.Help(argument.Name, Known, "its arguments are `size` and `stores`"));
                return;
            }
            if (arguments.ContainsKey(argument.Name))
            {
                Report(DiagnosticCodes.Duplicate, argument.NameSpan, $"`{argument.Name}` is given twice", "keep one");
                return;
            }
            arguments[argument.Name] = argument;
        }
        foreach (var required in Known.Where(k => !arguments.ContainsKey(k)))
        {
            Report(DiagnosticCodes.MissingArgument, call.Callee.Span, $"`{Kind}` needs `{required}`",
                required == "size" ? "the most samples it holds: `size: 2000`" : "what it keeps of each sample, inputs or flow values: `stores: [audio, video]`");
            return;
        }
        if (arguments["size"].Value is not NumberSyntax { IsWhole: true, Value: >= 1 } size)
        {
            Report(DiagnosticCodes.ArgumentType, arguments["size"].Value.Span, "`size` must be a whole number of samples, at least 1", null);
            return;
        }
        if (arguments["stores"].Value is not ListSyntax { Items.Count: > 0 } list || list.Items.Any(i => i is not NameSyntax))
        {
            Report(DiagnosticCodes.ArgumentType, arguments["stores"].Value.Span, "`stores` must list inputs or flow values, such as `[audio, video, a_embed]`", null);
            return;
        }
        var stores = list.Items.Cast<NameSyntax>().ToList();
        if (stores.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            Report(DiagnosticCodes.Duplicate, twice.Last().Span, $"`{twice.Key}` is listed twice in `stores`", "keep one");
            return;
        }
        _scope.DeclareReplay(new ReplayDeclaration(instance.Name, (long)size.Value, stores, _diagnostics.Sources.Location(instance.NameSpan)), instance.NameSpan);
        _scope.Failed.Remove(instance.Name);
    }

    /// <summary>Each buffer with what it stores resolved: inputs, or tensor flow values computed on the step's own batch whose
    /// sample shape is fixed. Null entries are left out (reported).</summary>
    public List<ReplayModel> Resolve()
    {
        var models = new List<ReplayModel>();
        foreach (var (declaration, _) in _scope.Replays.Values)
        {
            var stores = new List<ReplayStoreModel>();
            // Every store is resolved (and marked used), so that one bad store reports itself, not the rest as unused.
            foreach (var name in declaration.Stores)
                if (ResolveStore(name) is { } store) stores.Add(store);
            if (stores.Count == declaration.Stores.Count)
                models.Add(new ReplayModel(declaration.Name, declaration.Size, stores.ToEquatableArray(), declaration.Location));
        }
        return models;
    }

    private ReplayStoreModel? ResolveStore(NameSyntax name)
    {
        if (_scope.Inputs.TryGetValue(name.Name, out var input)) return new ReplayStoreModel(name.Name, Input: true, input.Shape);
        if (!_scope.Values.TryGetValue(name.Name, out var value))
        {
            if (!_scope.Failed.Contains(name.Name))
                Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is not an input or a flow value",
                    NearMiss.Help(name.Name, _scope.Inputs.Keys.Concat(_scope.Values.Keys), "a buffer stores inputs and flow values of each sample"));
            return null;
        }
        _scope.UseValue(name.Name);
        if (value.Type != ComponentCatalog.TensorType)
        {
            Report(DiagnosticCodes.ExpressionType, name.Span, $"`{name.Name}` is not a tensor, so a buffer cannot store it", "store one of its outputs, such as `view.visible`: give it a name in the flow");
            return null;
        }
        if (_shapes.ShapeOf(new ValueRef(name.Name, value.Type)) is not TensorShape shape)
        {
            Report(DiagnosticCodes.ShapeMismatch, name.Span, $"the shape of `{name.Name}` is not known here, so a buffer cannot set aside room for it",
                "store a value whose shape `avdsl check --shapes` shows in full, such as a pooled embedding [B, D]");
            return null;
        }
        if (shape.Rank == 0 || shape.Dims[0] is not { Symbol: "B", Offset: 0, Size: null })
        {
            Report(DiagnosticCodes.ShapeMismatch, name.Span, $"`{name.Name}` is {shape}, not one row per sample of the step's batch [B, …]",
                "a buffer keeps the step's own samples: store a value computed on the step's batch, not on a replayed or repeated one");
            return null;
        }
        if (shape.Dims.Skip(1).FirstOrDefault(d => d.Size is null) is { Symbol: { } } varying)
        {
            Report(DiagnosticCodes.ShapeMismatch, name.Span, $"`{name.Name}` is {shape}: its size {varying} changes with the masking, and a buffer keeps samples of one shape",
                "store a value of fixed shape, such as a pooled embedding `mean_tokens(…)` [B, D]");
            return null;
        }
        return new ReplayStoreModel(name.Name, Input: false, shape.Dims.Skip(1).Select(d => d.Size!.Value).ToEquatableArray());
    }

    /// <summary><c>memory.sample(audio)</c>: as many stored samples as <c>audio</c> has rows.</summary>
    public static string SampleHelp(string buffer) => $"draw as many samples as a batch has rows: `{buffer}.sample(audio)`";

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
