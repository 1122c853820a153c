using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>eval { embed: … }</c>: the clip embedding that probes and fine-tuning use.</summary>
internal sealed class EvalBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly SettingsBlocks _blocks;
    private readonly FlowBinder _flow;
    private readonly FlowShapes _shapes;

    public EvalBinder(DiagnosticSink diagnostics, SpecScope scope, SettingsBlocks blocks, FlowBinder flow, FlowShapes shapes)
    {
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
        var settings = _blocks.Settings(block, "embed");
        if (!settings.TryGetValue("embed", out var embed))
        {
            if (SettingsBlocks.IsMisspelt(block, "embed", "embed")) return null;
            Report(DiagnosticCodes.MissingSetting, block.KindSpan, "`eval` needs `embed`",
                "the clip embedding probes and fine-tuning use, for example `embed: mean_tokens(encoder(patches(audio) + pos()))`");
            return null;
        }
        // The embedding sees whole clips: only inputs and components, not flow values (those may be masked).
        var value = BindEmbedding(embed.Value);
        if (value is null)
        {
            _scope.UseEverythingIn(embed.Value);
            return null;
        }
        if (value.Type != ComponentCatalog.TensorType)
        {
            Report(DiagnosticCodes.ExpressionType, embed.Value.Span, $"`embed` must be a tensor, found {FlowBinder.DescribeType(value.Type)}", "end with a pooling such as `mean_tokens(...)` or `take_cls(...)`");
            return null;
        }
        if (_shapes.ShapeOf(value) is TensorShape shape && shape.Rank != 2)
        {
            Report(DiagnosticCodes.ShapeMismatch, embed.Value.Span, $"`embed` must give one vector per clip, [B, D], found {shape}", "pool the tokens, for example with `mean_tokens(...)`");
            return null;
        }
        return new EvalModel(value, Location(embed.KeySpan));
    }

    private Expr? BindEmbedding(ExpressionSyntax syntax) => _scope.WithoutFlowValues(() => _flow.BindExpression(syntax, "embed"));

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
