namespace AvDsl.Runtime;

/// <summary>Marks the settings class of an evaluation protocol a spec's <c>eval { finetune: finetune(…) }</c> can name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ProtocolAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
