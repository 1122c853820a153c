using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Catalog;
using AvDsl.Dsl.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace AvDsl.Generator;

/// <summary>C# spellings of spec values and types, in invariant culture.</summary>
internal static class CSharpLiteral
{
    private const string Training = "global::AvDsl.Runtime.Training.";

    /// <summary>The C# type holding an argument's value (a scheduled argument holds its schedule).</summary>
    public static string Type(ParameterSignature parameter, Value value) => value is ScheduleValue ? Training + "Schedule" : Type(parameter);

    public static string Type(ParameterSignature parameter) => parameter.Kind switch
    {
        ParameterKind.Duration => Training + "Duration",
        ParameterKind.DurationList => Training + "Duration[]",
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
        (ScheduleValue s, _) => Schedule(s.Schedule),
        (IntValue i, ParameterKind.Duration) => $"{Training}Duration.Steps({i.Value.ToString(CultureInfo.InvariantCulture)}L)",
        (DoubleValue d, ParameterKind.Duration) => $"{Training}Duration.Fraction({Double(d.Value)})",
        (ListValue l, ParameterKind.DurationList) => $"new {Training}Duration[] {{ " + string.Join(", ", l.Items.Select(i => Of(i, parameter with { Kind = ParameterKind.Duration }))) + " }",
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

    /// <summary>The runtime schedule for a schedule of the language, its arguments written out.</summary>
    public static string Schedule(FunctionModel schedule)
    {
        var signature = AvDsl.Dsl.Binding.LanguageFunctions.Schedules[schedule.Kind];
        var arguments = string.Join(", ", schedule.Arguments.Select(a => $"{a.Name}: {Of(a.Value, signature.Parameters.First(p => p.Name == a.Name))}"));
        var type = schedule.Kind switch
        {
            "constant" => "ConstantSchedule",
            "linear" => "LinearSchedule",
            "cosine" => "CosineSchedule",
            "warmup_cosine" => "WarmupCosineSchedule",
            "step" => "StepSchedule",
            "piecewise" => "PiecewiseSchedule",
            _ => throw new System.ArgumentException($"schedule `{schedule.Kind}` has no runtime class"),
        };
        return $"new {Training}{type}({arguments})";
    }

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
