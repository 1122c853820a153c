using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>Every token but the first (the patch tokens after a <see cref="ClsToken"/>): [B, N, D] → [B, N - 1, D].</summary>
[Component("drop_cls")]
public sealed class DropCls : Module
{
    public DropCls() { }

    /// <summary>[B, N, D] → [B, N - 1, D]</summary>
    [Shape("x: [B, N, D] -> [B, N - 1, D]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] < 2)
            throw new ArgumentException($"drop_cls: expected [B, N, D] with a CLS token and at least one more, got {x.Describe()}.");
        return x.Narrow(1, 1, shape[1] - 1);
    }
}
