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
/// Binds <c>eval { … }</c>: intermediate values and the clip embeddings that probes, fine-tuning and retrieval read.
/// The block sees inputs and components, not the training flow (whose values may be masked), and its values are its own.
/// </summary>
internal sealed class EvalBinder
{
    private const string Example = "`embed: mean_tokens(encoder(patches(audio) + pos()))` or `embed audio_clip = mean_tokens(…)`";

    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly SettingsBlocks _blocks;
    private readonly FlowBinder _flow;
    private readonly FlowShapes _shapes;
    private readonly FunctionBinder _functions;

    public EvalBinder(DiagnosticSink diagnostics, SpecScope scope, SettingsBlocks blocks, FlowBinder flow, FlowShapes shapes, FunctionBinder functions)
    {
        _functions = functions;
        _diagnostics = diagnostics;
        _scope = scope;
        _blocks = blocks;
        _flow = flow;
        _shapes = shapes;
    }

    public EvalModel? BindEval(SpecSyntax spec)
    {
        var block = _blocks.SingleBlock(spec, "eval");
        if (block is null) return null;
        var settings = _blocks.Settings(block, "embed", "retrieval", "finetune");
        settings.TryGetValue("embed", out var embed);
        if (embed is null && !block.Values.Any(b => b.Embedding))
        {
            if (!SettingsBlocks.IsMisspelt(block, "embed", "embed", "retrieval", "finetune"))
                Report(DiagnosticCodes.MissingSetting, block.KindSpan, "`eval` declares no embedding",
                    $"add the clip embedding probes read, for example {Example}");
            return null;
        }
        var fineTune = settings.TryGetValue("finetune", out var f) ? _functions.BindFunction(f.Value, "fine-tuning recipe", FunctionKind.Protocol) : null;
        if (f is not null && fineTune is null) return null;
        return _scope.InEvalScope(() => Bind(block, embed, settings.TryGetValue("retrieval", out var r) ? r : null, fineTune));
    }

    private EvalModel? Bind(SettingsBlockSyntax block, SettingSyntax? embed, SettingSyntax? retrieval, FunctionModel? fineTune)
    {
        var ok = true;
        var values = new List<FlowValue>();
        var embeddings = new List<string>();
        var spans = new Dictionary<string, TextSpan>(System.StringComparer.Ordinal);
        var statements = new List<BindingSyntax>();
        if (embed is not null) statements.Add(new BindingSyntax(embed.Span, EvalModel.DefaultName, embed.KeySpan, embed.Value, Embedding: true));
        foreach (var binding in block.Values)
        {
            if (binding.Name != EvalModel.DefaultName)
            {
                statements.Add(binding);
                continue;
            }
            Report(DiagnosticCodes.Duplicate, binding.NameSpan, $"`{EvalModel.DefaultName}` names the embedding of `embed: …` in `eval`",
                "write `embed: expression` for it, or give this value another name");
            ok = false;
        }
        foreach (var binding in statements)
        {
            var bound = _flow.BindFlow(new[] { binding });
            if (bound.Count == 0)
            {
                ok = false;
                continue;
            }
            var value = bound[0];
            values.Add(value);
            spans[value.Name] = binding.Value.Span;
            if (!binding.Embedding) continue;
            embeddings.Add(value.Name);
            _scope.UseValue(value.Name);
            ok &= CheckEmbedding(value, binding);
        }
        foreach (var (name, span) in _scope.UnusedValues())
            _diagnostics.Report(DiagnosticCodes.UnusedValue, span, $"eval value `{name}` is never used", "use it in an embedding, or remove it");

        var pair = retrieval is null ? new List<string>() : BindRetrieval(retrieval, embeddings, values);
        if (pair is null) ok = false;
        return ok && embeddings.Count > 0
            ? new EvalModel(values.ToEquatableArray(), embeddings.ToEquatableArray(), (pair ?? new List<string>()).ToEquatableArray(), Location(block.KindSpan), fineTune)
            : null;
    }

    private bool CheckEmbedding(FlowValue value, BindingSyntax binding)
    {
        var what = value.Name == EvalModel.DefaultName ? "`embed`" : $"embedding `{value.Name}`";
        if (value.Value.Type != ComponentCatalog.TensorType)
        {
            Report(DiagnosticCodes.ExpressionType, binding.Value.Span, $"{what} must be a tensor, found {FlowBinder.DescribeType(value.Value.Type)}",
                "end with a pooling such as `mean_tokens(...)` or `take_cls(...)`");
            return false;
        }
        if (_shapes.ShapeOf(value.Value) is TensorShape shape && shape.Rank != 2)
        {
            Report(DiagnosticCodes.ShapeMismatch, binding.Value.Span, $"{what} must give one vector per clip, [B, D], found {shape}",
                "pool the tokens, for example with `mean_tokens(...)`");
            return false;
        }
        return true;
    }

    /// <summary><c>retrieval: [a, b]</c>: two different embeddings of one width, matched clip to clip.</summary>
    private List<string>? BindRetrieval(SettingSyntax setting, List<string> embeddings, List<FlowValue> values)
    {
        const string help = "name two embeddings of the same width, `retrieval: [audio_clip, video_clip]`";
        if (setting.Value is not ListSyntax { Items.Count: 2 } list || list.Items.Any(i => i is not NameSyntax))
        {
            Report(DiagnosticCodes.ExpressionType, setting.Value.Span, "`retrieval` must list two embeddings", help);
            return null;
        }
        var names = list.Items.Cast<NameSyntax>().ToList();
        foreach (var name in names.Where(n => !embeddings.Contains(n.Name)))
        {
            Report(DiagnosticCodes.UnknownName, name.Span, $"`{name.Name}` is not an embedding of `eval`",
                NearMiss.Help(name.Name, embeddings, "declare it with `embed name = …`; " + help));
            return null;
        }
        if (names[0].Name == names[1].Name)
        {
            Report(DiagnosticCodes.ExpressionType, setting.Value.Span, "`retrieval` matches two different embeddings, not one with itself", help);
            return null;
        }
        var shapes = names.Select(n => _shapes.ShapeOf(values.First(v => v.Name == n.Name).Value) as TensorShape).ToList();
        if (shapes[0] is { Rank: 2 } a && shapes[1] is { Rank: 2 } b && a.Dims[1].IsKnown && b.Dims[1].IsKnown && !a.Dims[1].Equals(b.Dims[1]))
        {
            Report(DiagnosticCodes.ShapeMismatch, setting.Value.Span,
                $"`retrieval` compares `{names[0].Name}` {a} with `{names[1].Name}` {b} by cosine similarity, so their widths must agree", help);
            return null;
        }
        return names.Select(n => n.Name).ToList();
    }

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
