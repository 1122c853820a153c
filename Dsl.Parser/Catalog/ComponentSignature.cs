using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Catalog;

/// <summary>An input of a component's Forward method.</summary>
public sealed record InputSignature(string Name, string ClrName, string Type);

/// <summary>What the binder knows of a [Component]: constructor parameters, Forward inputs and output type. A stateless op
/// is a static method (<see cref="StaticMethod"/> of the static class <see cref="ClrType"/>) that generated code calls directly.</summary>
/// <param name="Constraints">What the arguments must meet: the class's <c>[Constraint]</c>s and its Forward's (a stateless op's
/// own); those that read the shape rule's symbols are checked where the component is called.</param>
/// <param name="Doc">The class's (or op's) documentation summary, for <c>avdsl describe</c>.</param>
/// <param name="PatchTarget">Its Forward cuts its input into the patches a reconstruction loss compares a prediction with, and
/// it can put them back (the class implements Runtime's <c>IPatchTarget</c>): a loss on its output reconstructs that input.</param>
/// <param name="InputsWithoutGrad">A stateless op whose inputs are computed without an autograd graph (Runtime's
/// <c>[WithoutGrad]</c>): <c>detach(encoder(x))</c> keeps no activations of the encoder.</param>
public sealed record ComponentSignature(
    string Name,
    string ClrType,
    EquatableArray<ParameterSignature> Parameters,
    EquatableArray<InputSignature> Inputs,
    string OutputType,
    string? ShapeRule = null,
    EquatableArray<MethodSignature> Methods = default,
    string? StaticMethod = null,
    EquatableArray<ConstraintSignature> Constraints = default,
    string? Doc = null,
    bool PatchTarget = false,
    bool InputsWithoutGrad = false)
{
    public bool IsStateless => StaticMethod is not null;

    public ParameterSignature? FindParameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public MethodSignature? FindMethod(string name) => Methods.FirstOrDefault(m => m.Name == name);
}

/// <summary>A further way to call a component, from a public <c>Forward*</c> method: <c>ForwardLayers</c> is
/// <c>encoder.layers(x)</c> in a spec.</summary>
/// <param name="Constraints">The method's own <c>[Constraint]</c>s and its class's, checked with the shape rule's symbols.</param>
public sealed record MethodSignature(string Name, string ClrName, EquatableArray<InputSignature> Inputs, string OutputType, string? ShapeRule = null,
    EquatableArray<ConstraintSignature> Constraints = default);

/// <summary>A named output of a value type: a public property of a Forward result.</summary>
public sealed record MemberSignature(string Name, string ClrName, string Type);

/// <summary>A non-tensor type a Forward method returns or takes, with the members a spec may select.</summary>
public sealed record ValueTypeSignature(string ClrType, EquatableArray<MemberSignature> Members);
