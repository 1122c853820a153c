using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Diagnostics;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Syntax;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Binding;

/// <summary>Binds a call of one of the language's own functions (an optimizer, a schedule, a data source) against
/// its vocabulary.</summary>
internal sealed class FunctionBinder
{
    private readonly DiagnosticSink _diagnostics;
    private readonly ArgumentBinder _arguments;

    public FunctionBinder(DiagnosticSink diagnostics, ArgumentBinder arguments)
    {
        _diagnostics = diagnostics;
        _arguments = arguments;
    }

    public FunctionModel? BindFunction(ExpressionSyntax syntax, string what, IReadOnlyDictionary<string, FunctionSignature> vocabulary)
    {
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
        var arguments = _arguments.Bind(callee.Name, callee.Span, signature.Parameters.ToList(), call.Arguments);
        return arguments is null ? null : new FunctionModel(callee.Name, arguments.Value);
    }

    public void ReportUnknownFunction(TextSpan span, string name, string what, IEnumerable<string> known)
    {
        var list = known.ToList();
        Report(DiagnosticCodes.UnknownFunction, span, $"unknown {what} `{name}`",
            NearMiss.Help(name, list, $"the {what}s are " + string.Join(", ", list.Select(k => $"`{k}`"))));
    }

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, string message, string? help) =>
        _diagnostics.Report(descriptor, span, message, help);
}
