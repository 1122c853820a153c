using AvDsl.Dsl.Model;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Catalog;

/// <summary>One constructor parameter of a component: its spec name (snake_case), C# name, type and default.</summary>
public sealed record ParameterSignature(
    string Name,
    string ClrName,
    ParameterKind Kind,
    Value? Default,
    string? EnumType = null,
    EquatableArray<string> EnumMembers = default,
    EquatableArray<string> EnumClrMembers = default,
    bool Schedulable = false)
{
    public bool IsRequired => Default is null;

    public string TypeDescription => Kind switch
    {
        ParameterKind.Int or ParameterKind.Long => "a whole number",
        ParameterKind.Double => Schedulable ? "a number or a schedule" : "a number",
        ParameterKind.Duration => "a number of steps (a whole number) or a fraction of the run (0.0 to 1.0)",
        ParameterKind.DurationList => "a list of durations (whole numbers of steps or fractions of the run)",
        ParameterKind.Bool => "`true` or `false`",
        ParameterKind.String => "a string",
        ParameterKind.IntList => "a list of whole numbers",
        ParameterKind.DoubleList => "a list of numbers",
        ParameterKind.StringList => "a list of strings",
        ParameterKind.Enum => "one of " + string.Join(", ", System.Linq.Enumerable.Select(EnumMembers, m => $"`{m}`")),
        _ => Kind.ToString(),
    };
}
