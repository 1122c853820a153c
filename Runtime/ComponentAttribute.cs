namespace AvDsl.Runtime;

/// <summary>
/// Marks a class as a spec component: <c>[Component("transformer")]</c>. The source generator reads it: the
/// single public constructor's parameters are the spec's arguments (spec name = snake_case of the parameter
/// name, C# defaults are spec defaults), and the single public <c>Forward</c> method is what a spec calls.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ComponentAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
