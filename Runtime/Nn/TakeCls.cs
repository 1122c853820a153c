using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>The first token of each sequence (the CLS token <see cref="ClsToken"/> put there): [B, N, D] → [B, D].</summary>
[Component("take_cls")]
public sealed class TakeCls : Module
{
    public TakeCls() { }

    /// <summary>[B, N, D] → [B, D]</summary>
    [Shape("x: [B, N, D] -> [B, D]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] < 1)
            throw new ArgumentException($"take_cls: expected [B, N, D] with at least one token, got {x.Describe()}.");
        return x.Select(1, 0);
    }
}
