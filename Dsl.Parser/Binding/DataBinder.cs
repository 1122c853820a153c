using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>
/// Binds <c>data { … }</c>: the source of training examples (<c>train: manifest(…)</c>), or a sequence of tasks — named sources
/// (<c>task speech = manifest(…)</c>) and <c>train: [speech, notes]</c>, the order they are trained in. Every source must fit the
/// spec's inputs.
/// </summary>
internal sealed class DataBinder
{
    private const string TaskExample = "`task speech = manifest(path: \"data/demo-corpus/keywords/manifest.csv\", labels: [\"yes\", \"no\"])`";

    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly SettingsBlocks _blocks;
    private readonly FunctionBinder _functions;

    public DataBinder(DiagnosticSink diagnostics, SpecScope scope, SettingsBlocks blocks, FunctionBinder functions)
    {
        _diagnostics = diagnostics;
        _scope = scope;
        _blocks = blocks;
        _functions = functions;
    }

    public DataModel? BindData(SpecSyntax spec, TrainingModel? training)
    {
        var block = _blocks.SingleBlock(spec, "data");
        if (block is null)
        {
            Report(DiagnosticCodes.MissingSetting, spec.NameSpan, $"spec `{spec.Name}` has no `data` block", "add `data { train: synthetic_spectrograms() }`");
            return null;
        }
        var tasks = BindTasks(spec, block);
        var settings = _blocks.Settings(block, "train");
        if (!settings.TryGetValue("train", out var train))
        {
            if (SettingsBlocks.IsMisspelt(block, "train", "train")) return null;
            Report(DiagnosticCodes.MissingSetting, block.KindSpan, "`data` needs `train`",
                block.Values.Count > 0 ? "name the order the tasks are trained in, for example `train: [speech, notes]`" : "for example `train: synthetic_spectrograms()`");
            return null;
        }
        if (tasks is null) return null;
        if (train.Value is ListSyntax order) return BindStages(spec, order, tasks, training);
        if (tasks.Count > 0)
        {
            Report(DiagnosticCodes.ExpressionType, train.Value.Span, $"`data` declares tasks ({string.Join(", ", tasks.Select(t => $"`{t.Name}`"))}) but `train` is a source of its own",
                "name the order the tasks are trained in, `train: [" + string.Join(", ", tasks.Select(t => t.Name)) + "]`, or drop the tasks");
            return null;
        }
        var source = BindSource(spec, train.Value, task: false);
        if (source is null) return null;
        if (_blocks.SingleBlock(spec, "train")?.Settings.FirstOrDefault(s => s.Key == "carry") is { } carry)
        {
            Report(DiagnosticCodes.UnknownSetting, carry.KeySpan, "`carry` says what a stage of a sequence of tasks takes over from the one before, but this spec trains on one source",
                "drop `carry`, or declare tasks: " + TaskExample + " and `train: [speech, …]`");
            return null;
        }
        return new DataModel(source);
    }

    /// <summary>The <c>task name = source</c> statements; null when one failed.</summary>
    private List<DataTaskModel>? BindTasks(SpecSyntax spec, SettingsBlockSyntax block)
    {
        var tasks = new List<DataTaskModel>();
        var ok = true;
        foreach (var binding in block.Values)
        {
            if (tasks.Any(t => t.Name == binding.Name))
            {
                Report(DiagnosticCodes.Duplicate, binding.NameSpan, $"task `{binding.Name}` is declared twice", "give each task its own name");
                ok = false;
                continue;
            }
            var source = BindSource(spec, binding.Value, task: true);
            if (source is null) ok = false;
            else tasks.Add(new DataTaskModel(binding.Name, source, _diagnostics.Sources.Location(binding.NameSpan)));
        }
        return ok ? tasks : null;
    }

    /// <summary><c>train: [speech, notes]</c> or <c>train: [[speech, notes]]</c>: the stages, each one task or a list trained at once.</summary>
    private DataModel? BindStages(SpecSyntax spec, ListSyntax order, List<DataTaskModel> tasks, TrainingModel? training)
    {
        if (tasks.Count == 0)
        {
            Report(DiagnosticCodes.UnknownName, order.Span, "`train: […]` names the tasks to train in turn, but `data` declares none", "declare them first, for example " + TaskExample);
            return null;
        }
        if (order.Items.Count == 0)
        {
            Report(DiagnosticCodes.MissingSetting, order.Span, "`train: []` trains nothing", "name the tasks in the order they are trained, `train: [" + string.Join(", ", tasks.Select(t => t.Name)) + "]`");
            return null;
        }
        var stages = new List<DataStageModel>();
        foreach (var item in order.Items)
        {
            var names = item switch
            {
                NameSyntax name => new List<NameSyntax> { name },
                ListSyntax { Items.Count: > 0 } list when list.Items.All(i => i is NameSyntax) => list.Items.Cast<NameSyntax>().ToList(),
                _ => null,
            };
            if (names is null)
            {
                Report(DiagnosticCodes.ExpressionType, item.Span, $"each stage of `train` is a task's name or a list of tasks trained at once, found {ArgumentBinder.Describe(item)}",
                    "for example `train: [speech, notes]`, or `train: [[speech, notes]]` for both at once");
                return null;
            }
            foreach (var name in names)
            {
                if (tasks.Any(t => t.Name == name.Name)) continue;
                Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is not a task of `data`",
                    NearMiss.Help(name.Name, tasks.Select(t => t.Name), "the tasks are " + string.Join(", ", tasks.Select(t => $"`{t.Name}`"))));
                return null;
            }
            var distinct = names.Select(n => n.Name).Distinct().ToList();
            if (distinct.Count != names.Count)
            {
                Report(DiagnosticCodes.Duplicate, item.Span, "a stage names the same task twice", "list each task once");
                return null;
            }
            stages.Add(new DataStageModel(distinct.ToEquatableArray()));
        }
        if (training?.Batch is ScheduleValue && _blocks.SingleBlock(spec, "train")?.Settings.FirstOrDefault(s => s.Key == "batch") is { } batch)
        {
            Report(DiagnosticCodes.ExpressionType, batch.Value.Span, "a batch that moves during training is not supported with a sequence of tasks",
                "give `batch` a number: each stage trains with it");
            return null;
        }
        var first = tasks.First(t => t.Name == stages[0].Tasks[0]);
        return new DataModel(first.Source, tasks.ToEquatableArray(), stages.ToEquatableArray());
    }

    private FunctionModel? BindSource(SpecSyntax spec, ExpressionSyntax syntax, bool task)
    {
        var source = _functions.BindFunction(syntax, "data source", FunctionKind.DataSource);
        if (source is null) return null;
        var signature = _functions.Catalog.DataSources[source.Kind];
        if (signature.Endless && task)
        {
            Report(DiagnosticCodes.DataInputs, syntax.Span, $"`{source.Kind}` never runs out and has no test split, so it cannot be a task",
                "a task is a list of clips: " + TaskExample);
            return null;
        }
        if (signature.Endless && _blocks.SingleBlock(spec, "train")?.Settings.FirstOrDefault(s => s.Key == "epochs") is { } epochs)
        {
            Report(DiagnosticCodes.DataInputs, epochs.KeySpan, $"`{source.Kind}` never runs out, so it has no epochs", "count the run in `steps`");
            return null;
        }
        if (signature.SingleInput is { } single && (_scope.Inputs.Count != 1 || _scope.Inputs.Values.Any(i => i.ClrType != single)))
        {
            var feature = _functions.Catalog.Functions.FirstOrDefault(f => f.ClrType == single)?.Name ?? single;
            Report(DiagnosticCodes.DataInputs, syntax.Span, $"`{source.Kind}` feeds exactly one {feature} input; spec `{spec.Name}` declares {_scope.Inputs.Count} input{(_scope.Inputs.Count == 1 ? "" : "s")}",
                "declare one input such as `input audio: fbank(mel: 128, frames: 1024)`, or read media with `manifest(...)`");
            return null;
        }
        if (_scope.Inputs.Count == 0)
        {
            Report(DiagnosticCodes.DataInputs, syntax.Span, $"`{source.Kind}` has no input to fill: spec `{spec.Name}` declares none",
                "declare inputs such as `input audio: fbank(mel: 128, frames: 1024)` and `input video: frames(count: 8, size: 224)`");
            return null;
        }
        return source;
    }

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
