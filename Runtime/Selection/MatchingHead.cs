using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// STELLA's matching head (a BERT-style pooler and a logit): tanh(x W₁ᵀ + b₁) W₂ᵀ + b₂ over a pair's joint vector
/// [B, inputs] → one logit per pair [B, 1]. Weights N(0, 0.02²), biases zero, as the official module initialises them.
/// </summary>
public sealed class MatchingHead : Module
{
    public MatchingHead(int inputs)
    {
        Pooler = new Linear(inputs, inputs, init: WeightInit.Bert);
        Fc = new Linear(inputs, 1, init: WeightInit.Bert);
    }

    public Linear Pooler { get; }
    public Linear Fc { get; }

    /// <summary>[B, inputs] → [B, 1]</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = new TensorScope();
        return scope.MoveToOuter(Fc.Forward(Pooler.Forward(x).Tanh()));
    }
}
