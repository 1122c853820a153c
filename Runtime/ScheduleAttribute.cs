namespace AvDsl.Runtime;

/// <summary>
/// Marks a <see cref="Training.Schedule"/> a spec can name wherever a value moves during training:
/// <c>[Schedule("linear")]</c>. As with components, the public constructor's parameters are the spec's arguments.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ScheduleAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The arguments (or numbers) whose values bound every value the schedule takes, comma-separated:
    /// <c>"from, to"</c>. A <see cref="ConstraintAttribute"/> on a scheduled argument is checked at each of them.</summary>
    public string Range { get; init; } = "";
}
