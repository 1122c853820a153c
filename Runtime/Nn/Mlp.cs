using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>The Transformer feed-forward: Linear(dim → hidden) → GELU → Linear(hidden → dim).</summary>
public sealed class Mlp : Module
{
    public Mlp(int dim, int hidden, WeightInit init = WeightInit.Xavier)
    {
        Fc1 = new Linear(dim, hidden, init: init);
        Fc2 = new Linear(hidden, dim, init: init);
    }

    public Linear Fc1 { get; }
    public Linear Fc2 { get; }

    /// <summary>[..., dim] → [..., dim]</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = new TensorScope();
        return scope.MoveToOuter(Fc2.Forward(Fc1.Forward(x).Gelu()));
    }
}
