using System;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds <c>student = transformer(depth: 12, dim: 768)</c>: a catalog component configured by named arguments.</summary>
internal sealed class ComponentBinder
{
    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly SpecScope _scope;
    private readonly ArgumentBinder _arguments;

    public ComponentBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, SpecScope scope, ArgumentBinder arguments)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        _scope = scope;
        _arguments = arguments;
    }

    public void BindInstance(InstanceSyntax instance)
    {
        if (_scope.IsDeclared(instance.Name, instance.NameSpan)) return;
        _scope.Failed.Add(instance.Name);
        var callee = (NameSyntax)instance.Constructor.Callee;
        var signature = _catalog.Find(callee.Name);
        if (signature is null)
        {
            ReportUnknownComponent(callee);
            return;
        }
        var positional = instance.Constructor.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            var (message, candidates) = PositionalArguments.Explain(callee.Name, positional.Value, signature.Parameters.ToList(), instance.Constructor.Arguments.Select(a => a.Name));
            Report(DiagnosticCodes.Syntax, positional.Span, message,
                (candidates is null ? "" : candidates + "; ") + "inputs are passed where the component is called in the flow");
            return;
        }
        var arguments = _arguments.Bind(callee.Name, callee.Span, signature.Parameters.ToList(), instance.Constructor.Arguments, signature.Constraints, followParams: true);
        if (arguments is null) return;
        var model = new ComponentModel(instance.Name, signature.Name, signature.ClrType, arguments.Value, Inline: false, Location(instance.NameSpan));
        _scope.DeclareInstance(model, signature, instance.NameSpan);
        _scope.Failed.Remove(instance.Name);
    }

    public void ReportUnknownComponent(NameSyntax callee)
    {
        var candidates = _catalog.Components.Select(c => c.Name).Concat(_scope.Instances.Keys).ToList();
        Report(DiagnosticCodes.UnknownComponent, callee.Span, $"unknown component `{callee.Name}`",
            NearMiss.Help(callee.Name, candidates, "the components are " + string.Join(", ", _catalog.Components.Select(c => $"`{c.Name}`").OrderBy(n => n, StringComparer.Ordinal))));
    }

    private SourceLocation Location(TextSpan span) => _diagnostics.Sources.Location(span);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
