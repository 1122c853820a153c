namespace AvDsl.Runtime;

/// <summary>
/// On a stateless op: generated code computes its inputs under <c>Torch.NoGrad()</c>, so nothing upstream of the op records a
/// graph or keeps activations. For ops whose result carries no gradient anyway (<c>detach</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WithoutGradAttribute : Attribute;
