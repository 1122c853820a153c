using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// A pre-norm Transformer block whose queries attend only to a context (no self-attention among the queries):
/// x + attn(norm1(x), norm_context(context)), then + mlp(norm2(x)). DiffMAE's cross-attention decoder stacks it.
/// </summary>
public sealed class CrossAttentionBlock : Module
{
    public CrossAttentionBlock(int dim, int heads, double mlp = 4.0)
    {
        Norm1 = new LayerNorm(dim);
        NormContext = new LayerNorm(dim);
        Attn = new MultiHeadCrossAttention(dim, heads);
        Norm2 = new LayerNorm(dim);
        Mlp = new Mlp(dim, (int)(dim * mlp));
    }

    public LayerNorm Norm1 { get; }
    public LayerNorm NormContext { get; }
    public MultiHeadCrossAttention Attn { get; }
    public LayerNorm Norm2 { get; }
    public Mlp Mlp { get; }

    /// <summary>x [B, Nq, D], context [B, Nk, D] → [B, Nq, D]</summary>
    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = new TensorScope();
        var h = x + Attn.Forward(Norm1.Forward(x), NormContext.Forward(context));
        return scope.MoveToOuter(h + Mlp.Forward(Norm2.Forward(h)));
    }
}
