namespace AvDsl.Runtime;

/// <summary>
/// Marks an <see cref="Data.IDataSource"/> a spec's <c>data { train: manifest(…) }</c> can name. What the binder
/// must check of a source is said here, so that no consumer compares its name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DataSourceAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The source never runs out, so a run using it is counted in steps, not epochs.</summary>
    public bool Endless { get; init; }

    /// <summary>When set, the source fills exactly one input of this feature kind (a <see cref="FeatureAttribute"/> class).</summary>
    public Type? SingleInput { get; init; }
}
