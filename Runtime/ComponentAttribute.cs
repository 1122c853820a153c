namespace AvDsl.Runtime;

/// <summary>
/// Marks a spec component: <c>[Component("transformer")]</c>. The source generator reads it.
/// On a class (a module with state): the single public constructor's parameters are the spec's arguments (spec
/// name = snake_case of the parameter name, C# defaults are spec defaults), and the public <c>Forward</c> method is
/// what a spec calls. On a public static method (a stateless op such as <c>take_cls</c>): its leading tensor
/// parameters are the inputs and the rest are the arguments; generated code calls it directly.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = false)]
public sealed class ComponentAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
