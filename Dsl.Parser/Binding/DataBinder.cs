using AvDsl.Dsl.Catalog;
using System.Linq;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>data { train: … }</c>: the source of training examples, which must fit the spec's inputs.</summary>
internal sealed class DataBinder
{
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

    public DataModel? BindData(SpecSyntax spec)
    {
        var block = _blocks.SingleBlock(spec, "data");
        if (block is null)
        {
            Report(DiagnosticCodes.MissingSetting, spec.NameSpan, $"spec `{spec.Name}` has no `data` block", "add `data { train: synthetic_spectrograms() }`");
            return null;
        }
        var settings = _blocks.Settings(block, "train");
        if (!settings.TryGetValue("train", out var train))
        {
            if (SettingsBlocks.IsMisspelt(block, "train", "train")) return null;
            Report(DiagnosticCodes.MissingSetting, block.KindSpan, "`data` needs `train`", "for example `train: synthetic_spectrograms()`");
            return null;
        }
        var source = _functions.BindFunction(train.Value, "data source", FunctionKind.DataSource);
        if (source is null) return null;
        var signature = _functions.Catalog.DataSources[source.Kind];
        if (signature.Endless && _blocks.SingleBlock(spec, "train")?.Settings.FirstOrDefault(s => s.Key == "epochs") is { } epochs)
        {
            Report(DiagnosticCodes.DataInputs, epochs.KeySpan, $"`{source.Kind}` never runs out, so it has no epochs", "count the run in `steps`");
            return null;
        }
        if (signature.SingleInput is { } single && (_scope.Inputs.Count != 1 || _scope.Inputs.Values.Any(i => i.ClrType != single)))
        {
            var feature = _functions.Catalog.Functions.FirstOrDefault(f => f.ClrType == single)?.Name ?? single;
            Report(DiagnosticCodes.DataInputs, train.Value.Span, $"`{source.Kind}` feeds exactly one {feature} input; spec `{spec.Name}` declares {_scope.Inputs.Count} input{(_scope.Inputs.Count == 1 ? "" : "s")}",
                "declare one input such as `input audio: fbank(mel: 128, frames: 1024)`, or read media with `manifest(...)`");
            return null;
        }
        if (_scope.Inputs.Count == 0)
        {
            Report(DiagnosticCodes.DataInputs, train.Value.Span, $"`{source.Kind}` has no input to fill: spec `{spec.Name}` declares none",
                "declare inputs such as `input audio: fbank(mel: 128, frames: 1024)` and `input video: frames(count: 8, size: 224)`");
            return null;
        }
        return new DataModel(source);
    }

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
