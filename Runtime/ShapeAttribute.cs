namespace AvDsl.Runtime;

/// <summary>
/// The shapes a component's <c>Forward</c> takes and returns, in the spec binder's notation, so that a spec's
/// wiring is checked before anything runs. Inputs are matched against patterns whose names unify across inputs;
/// outputs are computed from them and from the component's own (whole-number) arguments:
/// <c>[Shape("x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]")]</c>,
/// <c>[Shape("x: [*S, inputs] -> [*S, outputs]")]</c> (<c>*S</c> stands for any leading dimensions),
/// <c>[Shape("tokens: [B, N, D] -> visible: [B, K, D], masked: [B, N]")]</c> (outputs of a result, by name).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ShapeAttribute(string rule) : Attribute
{
    public string Rule { get; } = rule;
}
