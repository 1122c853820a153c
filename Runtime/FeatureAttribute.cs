namespace AvDsl.Runtime;

/// <summary>
/// Marks a feature kind a spec input can take, <c>input audio: fbank(mel: 128, frames: 1024)</c>: an
/// <see cref="Data.IFeatureKind"/> whose constructor parameters are the settings and whose class-level
/// <see cref="ShapeAttribute"/> gives the shape of one example (<c>"-> [frames, mel]"</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FeatureAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
