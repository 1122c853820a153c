using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Catalog;

/// <summary>An input of a component's Forward method.</summary>
public sealed record InputSignature(string Name, string ClrName, string Type);

/// <summary>What the binder knows of a [Component]: constructor parameters, Forward inputs and output type. A stateless op
/// is a static method (<see cref="StaticMethod"/> of the static class <see cref="ClrType"/>) that generated code calls directly.</summary>
public sealed record ComponentSignature(
    string Name,
    string ClrType,
    EquatableArray<ParameterSignature> Parameters,
    EquatableArray<InputSignature> Inputs,
    string OutputType,
    string? ShapeRule = null,
    EquatableArray<MethodSignature> Methods = default,
    string? StaticMethod = null)
{
    public bool IsStateless => StaticMethod is not null;

    public ParameterSignature? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public MethodSignature? FindMethod(string name) => Methods.FirstOrDefault(m => m.Name == name);
}

/// <summary>A further way to call a component, from a public <c>Forward*</c> method: <c>ForwardLayers</c> is
/// <c>encoder.layers(x)</c> in a spec.</summary>
public sealed record MethodSignature(string Name, string ClrName, EquatableArray<InputSignature> Inputs, string OutputType, string? ShapeRule = null);

/// <summary>A named output of a value type: a public property of a Forward result.</summary>
public sealed record MemberSignature(string Name, string ClrName, string Type);

/// <summary>A non-tensor type a Forward method returns or takes, with the members a spec may select.</summary>
public sealed record ValueTypeSignature(string ClrType, EquatableArray<MemberSignature> Members);
