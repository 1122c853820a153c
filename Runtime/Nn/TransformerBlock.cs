using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// One Transformer encoder block (timm naming: norm1, attn, norm2, mlp).
/// Pre-norm: x + attn(norm1(x)), then + mlp(norm2(x)). Post-norm: norm1(x + attn(x)), then norm2(x + mlp(x)).
/// </summary>
public sealed class TransformerBlock : Module
{
    public TransformerBlock(int dim, int heads, double mlp = 4.0, Norm norm = Norm.Pre, double dropPath = 0.0, WeightInit init = WeightInit.Xavier)
    {
        Placement = norm;
        Norm1 = new LayerNorm(dim);
        Attn = new MultiHeadSelfAttention(dim, heads, init);
        Norm2 = new LayerNorm(dim);
        Mlp = new Mlp(dim, (int)(dim * mlp), init);
        Drop = new DropPath(dropPath);
    }

    public Norm Placement { get; }
    public LayerNorm Norm1 { get; }
    public MultiHeadSelfAttention Attn { get; }
    public LayerNorm Norm2 { get; }
    public Mlp Mlp { get; }
    public DropPath Drop { get; }

    /// <summary>[B, N, D] → [B, N, D]</summary>
    public Tensor Forward(Tensor x) => ForwardWithFfn(x, keepFfn: false).Output;

    /// <summary>
    /// [B, N, D] → the block's output and its feed-forward output before the residual add (and before drop-path):
    /// data2vec 2.0 / EAT build the teacher's targets from the latter.
    /// </summary>
    public (Tensor Output, Tensor Ffn) ForwardWithFfn(Tensor x) => ForwardWithFfn(x, keepFfn: true);

    private (Tensor Output, Tensor Ffn) ForwardWithFfn(Tensor x, bool keepFfn)
    {
        using var scope = new TensorScope();
        Tensor y, ffn;
        if (Placement == Norm.Pre)
        {
            var h = x + Drop.Forward(Attn.Forward(Norm1.Forward(x)));
            ffn = Mlp.Forward(Norm2.Forward(h));
            y = h + Drop.Forward(ffn);
        }
        else
        {
            var h = Norm1.Forward(x + Drop.Forward(Attn.Forward(x)));
            ffn = Mlp.Forward(h);
            y = Norm2.Forward(h + Drop.Forward(ffn));
        }
        return (scope.MoveToOuter(y), keepFfn ? scope.MoveToOuter(ffn) : ffn);
    }
}
