using System.Collections.Generic;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Formatting;
using AvDsl.Dsl.Syntax;

namespace AvDsl.Dsl.Binding;

/// <summary>A value passed by position where a component takes a named argument: <c>random_mask(tokens, 0.75)</c>.
/// Inputs go by position and arguments by name, so the error says which argument the value evidently is.</summary>
internal static class PositionalArguments
{
    /// <summary>Whether a value after a component's inputs reads as an argument (a literal, a word that names nothing
    /// in the spec, a schedule) rather than one input too many.</summary>
    public static bool LooksLikeArgument(ExpressionSyntax value, SpecScope scope, ComponentCatalog catalog) => value switch
    {
        NumberSyntax or StringSyntax or ListSyntax => true,
        NegateSyntax { Operand: NumberSyntax } => true,
        NameSyntax name => !scope.Inputs.ContainsKey(name.Name) && !scope.Values.ContainsKey(name.Name) && !scope.Instances.ContainsKey(name.Name)
            && !scope.Teachers.ContainsKey(name.Name) && !scope.Failed.Contains(name.Name),
        CallSyntax { Callee: NameSyntax callee } => catalog.Schedules.ContainsKey(callee.Name),
        _ => false,
    };

    /// <summary>"arguments of `random_mask` are named: write `ratio: 0.75`" when one argument not given yet is the
    /// evident one (the one required, or the one whose type fits), else the message and a list of the candidates.</summary>
    public static (string Message, string? Candidates) Explain(string owner, ExpressionSyntax value, IReadOnlyList<ParameterSignature> parameters, IEnumerable<string?> given)
    {
        var named = new HashSet<string?>(given);
        var open = parameters.Where(p => !named.Contains(p.Name)).ToList();
        var fitting = open.Where(p => ArgumentBinder.TryConvert(value, p) is not null || (value is CallSyntax && p.Schedulable)).ToList();
        var required = open.Where(p => p.Default is null).ToList();
        var evident = Single(required.Where(fitting.Contains)) ?? Single(required) ?? Single(fitting) ?? Single(open);
        var text = SpecFormatter.Expression(value);
        if (evident is not null) return ($"arguments of `{owner}` are named: write `{evident.Name}: {text}`", null);
        var candidates = (fitting.Count > 0 ? fitting : open).Select(p => $"`{p.Name}`").ToList();
        return ($"arguments of `{owner}` are named: write `name: {text}`",
            candidates.Count == 0 ? null : "it may be " + (candidates.Count == 1 ? candidates[0] : string.Join(", ", candidates.Take(candidates.Count - 1)) + " or " + candidates[candidates.Count - 1]));
    }

    private static ParameterSignature? Single(IEnumerable<ParameterSignature> parameters)
    {
        var list = parameters.Take(2).ToList();
        return list.Count == 1 ? list[0] : null;
    }
}
