using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// One Transformer encoder block (timm naming: norm1, attn, norm2, mlp).
/// Pre-norm: x + attn(norm1(x)), then + mlp(norm2(x)). Post-norm: norm1(x + attn(x)), then norm2(x + mlp(x)).
/// </summary>
public sealed class TransformerBlock : Module
{
    public TransformerBlock(int dim, int heads, double mlp = 4.0, Norm norm = Norm.Pre, double dropPath = 0.0)
    {
        Placement = norm;
        Norm1 = new LayerNorm(dim);
        Attn = new MultiHeadSelfAttention(dim, heads);
        Norm2 = new LayerNorm(dim);
        Mlp = new Mlp(dim, (int)(dim * mlp));
        Drop = new DropPath(dropPath);
    }

    public Norm Placement { get; }
    public LayerNorm Norm1 { get; }
    public MultiHeadSelfAttention Attn { get; }
    public LayerNorm Norm2 { get; }
    public Mlp Mlp { get; }
    public DropPath Drop { get; }

    /// <summary>[B, N, D] → [B, N, D]</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = new TensorScope();
        Tensor y;
        if (Placement == Norm.Pre)
        {
            var h = x + Drop.Forward(Attn.Forward(Norm1.Forward(x)));
            y = h + Drop.Forward(Mlp.Forward(Norm2.Forward(h)));
        }
        else
        {
            var h = Norm1.Forward(x + Drop.Forward(Attn.Forward(x)));
            y = Norm2.Forward(h + Drop.Forward(Mlp.Forward(h)));
        }
        return scope.MoveToOuter(y);
    }
}
