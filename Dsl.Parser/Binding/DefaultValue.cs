using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using AvDsl.Dsl.Parsing;
using Sprache;

namespace AvDsl.Dsl.Binding;

/// <summary>A parameter's default written in .avml syntax (a Runtime <c>[SpecDefault("[0.9, 0.999]")]</c>), as a value.</summary>
public static class DefaultValue
{
    /// <summary>Null when the text is not a value of the parameter's kind.</summary>
    public static Value? Parse(string text, ParameterSignature parameter)
    {
        var syntax = Grammar.Expression.End().TryParse(text);
        return syntax.WasSuccessful ? ArgumentBinder.TryConvert(syntax.Value, parameter) : null;
    }
}
