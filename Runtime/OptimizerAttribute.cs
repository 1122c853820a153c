namespace AvDsl.Runtime;

/// <summary>Marks the settings class of an optimizer a spec's <c>train { optimizer: adamw(…) }</c> can name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OptimizerAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
