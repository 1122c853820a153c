namespace AvDsl.Runtime;

/// <summary>
/// A condition a spec's arguments must meet, checked by <c>avdsl check</c> for every spec and sweep variant before
/// anything runs: <c>[Constraint("dim % heads == 0", "dim must be a multiple of heads")]</c>. On a class it reads the
/// constructor's arguments (snake_case); on a <c>Forward</c> method or a stateless op it also reads the symbols its
/// <see cref="ShapeAttribute"/> rule binds (<c>top &lt;= L</c> with <c>layers.ffn: [L, B, N, D]</c>). The notation:
/// numbers, argument names, <c>len(list)</c>, <c>list[i]</c>, <c>+ - * / %</c>, comparisons that chain
/// (<c>0 &lt; ratio &lt; 1</c>), <c>and</c>, <c>or</c>, and <c>every(list, 0 &lt;= item &lt; 1)</c> over a list's items. A
/// scheduled argument is checked at every value its schedule reaches (<see cref="ScheduleAttribute.Range"/>), a
/// duration counts in steps, and <c>run</c> is the run's length in steps. What the spec does not fix is not judged.
/// The constructor's own checks stay as a second line.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false, AllowMultiple = true)]
public sealed class ConstraintAttribute(string rule, string? message = null) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>What the rule means in words; the diagnostic shows it with the values that broke it.</summary>
    public string? Message { get; } = message;
}
