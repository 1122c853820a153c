using System;
using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>loss frame = mse(pred, target) / sqrt(768)</c>: named tensor terms that are summed into the training loss.</summary>
internal sealed class LossBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly FlowBinder _flow;

    public LossBinder(DiagnosticSink diagnostics, SpecScope scope, FlowBinder flow)
    {
        _diagnostics = diagnostics;
        _scope = scope;
        _flow = flow;
    }

    public List<LossTerm> BindLosses(SpecSyntax syntax)
    {
        var losses = new List<LossTerm>();
        var lossNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var loss in syntax.Members.OfType<LossSyntax>())
        {
            if (!lossNames.Add(loss.Name) || _scope.Values.ContainsKey(loss.Name))
            {
                Report(DiagnosticCodes.Duplicate, loss.NameSpan, $"`{loss.Name}` is declared twice", "give each loss term its own name");
                continue;
            }
            var value = _flow.BindExpression(loss.Value, loss.Name);
            if (value is null)
            {
                _scope.UseEverythingIn(loss.Value);
                continue;
            }
            if (value.Type != ComponentCatalog.TensorType)
            {
                Report(DiagnosticCodes.ExpressionType, loss.Value.Span, $"loss `{loss.Name}` must be a tensor, found {FlowBinder.DescribeType(value.Type)}",
                    "a loss term is the output of a loss component such as `mse(prediction, target)`, optionally scaled");
                continue;
            }
            losses.Add(new LossTerm(loss.Name, value, Location(loss.NameSpan)));
        }
        if (!syntax.Members.OfType<LossSyntax>().Any())
        {
            Report(DiagnosticCodes.NoLoss, syntax.NameSpan, $"spec `{syntax.Name}` has no loss", "add a term such as `loss recon = mse(pred, target)`");
        }
        return losses;
    }

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
