using AvDsl.Dsl.Catalog;
using System.Linq;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Shapes;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>input audio: fbank(mel: 128, frames: 1024)</c>: a feature kind, its settings and the shape of one example.</summary>
internal sealed class InputBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly ArgumentBinder _arguments;
    private readonly FunctionBinder _functions;

    public InputBinder(DiagnosticSink diagnostics, SpecScope scope, ArgumentBinder arguments, FunctionBinder functions)
    {
        _diagnostics = diagnostics;
        _scope = scope;
        _arguments = arguments;
        _functions = functions;
    }

    public void BindInput(InputSyntax input)
    {
        if (_scope.IsDeclared(input.Name, input.NameSpan)) return;
        _scope.Failed.Add(input.Name);
        var kind = ((NameSyntax)input.Features.Callee).Name;
        var features = _functions.Catalog.Features;
        if (!features.TryGetValue(kind, out var signature))
        {
            _functions.ReportUnknownFunction(input.Features.Callee.Span, kind, "feature kind", features.Keys);
            return;
        }
        var positional = input.Features.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            Report(DiagnosticCodes.Syntax, positional.Span, $"`{kind}` takes named settings only", "write `name: value`");
            return;
        }
        var settings = _arguments.Bind(kind, input.Features.Callee.Span, signature.Parameters, input.Features.Arguments, signature.Constraints);
        if (settings is null) return;
        // The shape of one example, from the feature kind's [Shape]; the batch dimension is added where shapes are followed.
        var rule = signature.ShapeRule is null ? null : ShapeRuleParser.Parse(signature.ShapeRule, out _);
        var sample = rule is null ? null : ShapeInference.Apply(rule, settings.Value.ToDictionary(a => a.Name, a => a.Value), System.Array.Empty<TensorShape?>()).Output;
        var shape = sample?.Dims.Select(d => d.Size ?? -1).ToEquatableArray() ?? EquatableArray<long>.Empty;
        _scope.Failed.Remove(input.Name);
        _scope.DeclareInput(new InputModel(input.Name, kind, settings.Value, shape, Location(input.NameSpan), signature.ClrType));
    }

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
