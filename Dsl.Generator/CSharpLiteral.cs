using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace AvDsl.Generator;

/// <summary>C# spellings of spec values and types, in invariant culture.</summary>
internal sealed class CSharpLiteral(ComponentCatalog catalog, TypeNames types)
{
    public TypeNames Types => types;

    /// <summary>The C# type holding an argument's value (a scheduled argument holds its schedule).</summary>
    public string Type(ParameterSignature parameter, Value value) => value is ScheduleValue ? types.Name("AvDsl.Runtime.Training.Schedule") : Type(parameter);

    public string Type(ParameterSignature parameter) => parameter.Kind switch
    {
        ParameterKind.Duration => types.Name("AvDsl.Runtime.Training.Duration"),
        ParameterKind.DurationList => types.Name("AvDsl.Runtime.Training.Duration") + "[]",
        ParameterKind.Int => "int",
        ParameterKind.Long => "long",
        ParameterKind.Double => "double",
        ParameterKind.Bool => "bool",
        ParameterKind.String => "string",
        ParameterKind.IntList => "int[]",
        ParameterKind.DoubleList => "double[]",
        ParameterKind.StringList => "string[]",
        _ => types.Name(parameter.EnumType!),
    };

    public string Of(Value value, ParameterSignature parameter) => (value, parameter.Kind) switch
    {
        (ScheduleValue s, _) => Function(s.Schedule, FunctionKind.Schedule),
        (IntValue i, ParameterKind.Duration) => $"{types.Name("AvDsl.Runtime.Training.Duration")}.Steps({i.Value.ToString(CultureInfo.InvariantCulture)}L)",
        (DoubleValue d, ParameterKind.Duration) => $"{types.Name("AvDsl.Runtime.Training.Duration")}.Fraction({Double(d.Value)})",
        (ListValue l, ParameterKind.DurationList) => $"new {types.Name("AvDsl.Runtime.Training.Duration")}[] {{ " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.Duration }))) + " }",
        (IntValue i, ParameterKind.Long) => i.Value.ToString(CultureInfo.InvariantCulture) + "L",
        (IntValue i, _) => i.Value.ToString(CultureInfo.InvariantCulture),
        (DoubleValue d, _) => Double(d.Value),
        (BoolValue b, _) => b.Value ? "true" : "false",
        (StringValue s, _) => SymbolDisplay.FormatLiteral(s.Value, quote: true),
        (EnumValue e, _) => types.Name(parameter.EnumType!) + "." + parameter.EnumClrMembers[parameter.EnumMembers.ToList().IndexOf(e.Member)],
        (ListValue l, ParameterKind.IntList) => "new int[] { " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.Int }))) + " }",
        (ListValue { Items.Count: 0 }, ParameterKind.StringList) => "System.Array.Empty<string>()",
        (ListValue l, ParameterKind.StringList) => "new string[] { " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.String }))) + " }",
        (ListValue l, _) => "new double[] { " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.Double }))) + " }",
        _ => throw new System.ArgumentException($"no C# literal for {value} as {parameter.Kind}"),
    };

    /// <summary>The Runtime object of a schedule, feature kind, optimizer or data source, its arguments written out by name.</summary>
    public string Function(FunctionModel function, FunctionKind kind)
    {
        var signature = catalog.FindFunction(kind, function.Kind)!;
        var arguments = string.Join(", ", function.Arguments.Select(a =>
        {
            var parameter = signature.FindParameter(a.Name)!;
            return $"{parameter.ClrName}: {Of(a.Value, parameter)}";
        }));
        return $"new {types.Name(function.ClrType)}({arguments})";
    }

    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E' }) < 0 ? text + ".0" : text;
    }

    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A camelCase local name that is not a C# keyword.</summary>
    public static string Local(string specName)
    {
        var name = NameCase.ToCamel(specName);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
