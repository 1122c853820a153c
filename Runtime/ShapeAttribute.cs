namespace AvDsl.Runtime;

/// <summary>
/// The shapes a component's <c>Forward</c> takes and returns, in the spec binder's notation, so that a spec's
/// wiring is checked before anything runs. Inputs are matched against patterns whose names unify across inputs;
/// outputs are computed from them and from the component's own (whole-number) arguments:
/// <c>[Shape("x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]")]</c>,
/// <c>[Shape("x: [*S, inputs] -> [*S, outputs]")]</c> (<c>*S</c> stands for any leading dimensions),
/// <c>[Shape("tokens: [B, N, D] -> visible: [B, K, D], masked: [B, N]")]</c> (outputs of a result, by name),
/// <c>[Shape("visible: [B, K, inputs], view.keep_indices: [B, K] -> …")]</c> (an output of a result input, so that its
/// symbols tie: a decoder's K is its mask's K). A list of tensors is written with its count first (<c>[depth, B, N, D]</c>).
/// A symbol an output names that no input binds (K above) is new: it equals only itself and what is derived from it.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ShapeAttribute(string rule) : Attribute
{
    public string Rule { get; } = rule;
}
