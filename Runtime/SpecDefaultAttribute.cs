namespace AvDsl.Runtime;

/// <summary>
/// The default a spec shows for a parameter whose C# type cannot have a constant default (a list, a
/// <see cref="Training.Duration"/>), in .avml syntax: <c>[SpecDefault("[0.9, 0.999]")]</c>. The spec always passes
/// the argument, so the C# parameter needs no default of its own.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class SpecDefaultAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}
