using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace AvDsl.Generator;

/// <summary>C# spellings of spec values and types, in invariant culture.</summary>
internal static class CSharpLiteral
{
    public static string Type(ParameterSignature parameter) => parameter.Kind switch
    {
        ParameterKind.Int => "int",
        ParameterKind.Long => "long",
        ParameterKind.Double => "double",
        ParameterKind.Bool => "bool",
        ParameterKind.String => "string",
        ParameterKind.IntList => "int[]",
        ParameterKind.DoubleList => "double[]",
        _ => "global::" + parameter.EnumType,
    };

    public static string Of(Value value, ParameterSignature parameter) => (value, parameter.Kind) switch
    {
        (IntValue i, ParameterKind.Long) => i.Value.ToString(CultureInfo.InvariantCulture) + "L",
        (IntValue i, _) => i.Value.ToString(CultureInfo.InvariantCulture),
        (DoubleValue d, _) => Double(d.Value),
        (BoolValue b, _) => b.Value ? "true" : "false",
        (StringValue s, _) => SymbolDisplay.FormatLiteral(s.Value, quote: true),
        (EnumValue e, _) => "global::" + parameter.EnumType + "." + parameter.EnumClrMembers[parameter.EnumMembers.ToList().IndexOf(e.Member)],
        (ListValue l, ParameterKind.IntList) => "new int[] { " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.Int }))) + " }",
        (ListValue l, _) => "new double[] { " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.Double }))) + " }",
        _ => throw new System.ArgumentException($"no C# literal for {value} as {parameter.Kind}"),
    };

    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E' }) < 0 ? text + ".0" : text;
    }

    /// <summary>A camelCase local name that is not a C# keyword.</summary>
    public static string Local(string specName)
    {
        var name = NameCase.ToCamel(specName);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
