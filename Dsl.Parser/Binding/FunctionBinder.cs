using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds a call of one of the catalog's functions (an optimizer, a schedule, a feature kind, a data source)
/// against the vocabulary of its kind.</summary>
internal sealed class FunctionBinder
{
    private readonly ComponentCatalog _catalog;
    private readonly DiagnosticSink _diagnostics;
    private readonly ArgumentBinder _arguments;

    public FunctionBinder(ComponentCatalog catalog, DiagnosticSink diagnostics, ArgumentBinder arguments)
    {
        _catalog = catalog;
        _diagnostics = diagnostics;
        _arguments = arguments;
    }

    public ComponentCatalog Catalog => _catalog;

    public ArgumentBinder Arguments => _arguments;

    public FunctionModel? BindFunction(ExpressionSyntax syntax, string what, FunctionKind kind)
    {
        var vocabulary = _catalog.Vocabulary(kind);
        if (syntax is not CallSyntax { Callee: NameSyntax callee } call)
        {
            Report(DiagnosticCodes.ArgumentType, syntax.Span, $"expected a {what} such as `{vocabulary.Keys.First()}(…)`, found {ArgumentBinder.Describe(syntax)}",
                $"the {what}s are " + string.Join(", ", vocabulary.Keys.Select(k => $"`{k}`")));
            return null;
        }
        if (!vocabulary.TryGetValue(callee.Name, out var signature))
        {
            ReportUnknownFunction(callee.Span, callee.Name, what, vocabulary.Keys);
            return null;
        }
        var positional = call.Arguments.FirstOrDefault(a => a.Name is null);
        if (positional is not null)
        {
            Report(DiagnosticCodes.Syntax, positional.Span, $"arguments of `{callee.Name}` must be named", "write `name: value`");
            return null;
        }
        var arguments = _arguments.Bind(callee.Name, callee.Span, signature.Parameters.ToList(), call.Arguments, signature.Constraints);
        return arguments is null ? null : new FunctionModel(callee.Name, arguments.Value, signature.ClrType);
    }

    /// <summary>A number where a schedule is expected, or a schedule: <c>lr: 1e-3</c> is <c>constant(value: 1e-3)</c>.</summary>
    public FunctionModel? BindSchedule(ExpressionSyntax syntax) => syntax is NumberSyntax constant
        ? new(ComponentCatalog.ConstantSchedule, new[] { new Argument("value", new DoubleValue(constant.Value)) }.ToEquatableArray(),
            _catalog.Schedules[ComponentCatalog.ConstantSchedule].ClrType)
        : BindFunction(syntax, "schedule", FunctionKind.Schedule);

    public void ReportUnknownFunction(TextSpan span, string name, string what, IEnumerable<string> known)
    {
        var list = known.ToList();
        Report(DiagnosticCodes.UnknownFunction, span, $"unknown {what} `{name}`",
            NearMiss.Help(name, list, $"the {what}s are " + string.Join(", ", list.Select(k => $"`{k}`"))));
    }

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
