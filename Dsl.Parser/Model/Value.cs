using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Model;

/// <summary>A resolved constant: an argument value, a setting, or a default taken from a component's constructor.</summary>
public abstract record Value
{
    /// <summary>The value written in .avml syntax (invariant culture, round-trippable).</summary>
    public abstract string ToAvml();
}

public sealed record IntValue(long Value) : Value
{
    public override string ToAvml() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record DoubleValue(double Value) : Value
{
    public override string ToAvml()
    {
        var text = Value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e', 'N', 'I' }) < 0 ? text + ".0" : text.Replace("E", "e");
    }
}

public sealed record BoolValue(bool Value) : Value
{
    public override string ToAvml() => Value ? "true" : "false";
}

public sealed record StringValue(string Value) : Value
{
    public override string ToAvml() => "\"" + Value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>An enum member, written in snake_case in a spec (<c>norm: pre</c>).</summary>
public sealed record EnumValue(string Member) : Value
{
    public override string ToAvml() => Member;
}

/// <summary>A value that moves during training (everything that moves during training is a schedule in the spec, never a constant in code): <c>ratio: linear(from: 0.6, to: 0.8)</c>.</summary>
public sealed record ScheduleValue(FunctionModel Schedule) : Value
{
    public override string ToAvml() =>
        Schedule.Kind + "(" + string.Join(", ", Schedule.Arguments.Select(a => a.Name + ": " + a.Value.ToAvml())) + ")";
}

public sealed record ListValue(EquatableArray<Value> Items) : Value
{
    public override string ToAvml() => "[" + string.Join(", ", Items.Select(i => i.ToAvml())) + "]";
}
