using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// CAV-MAE's shared pre-norm block: one attention and one MLP for every modality, three pairs of LayerNorms — the joint
/// pair (norm1, norm2) for [audio; video] together, and one pair per modality (norm1_a, norm2_a; norm1_v, norm2_v) for
/// either alone, since audio and video tokens are distributed differently.
/// </summary>
public sealed class SharedTransformerBlock : Module
{
    public SharedTransformerBlock(int dim, int heads, double mlp = 4.0)
    {
        Norm1 = new LayerNorm(dim);
        Norm1A = new LayerNorm(dim);
        Norm1V = new LayerNorm(dim);
        Attn = new MultiHeadSelfAttention(dim, heads);
        Norm2 = new LayerNorm(dim);
        Norm2A = new LayerNorm(dim);
        Norm2V = new LayerNorm(dim);
        Mlp = new Mlp(dim, (int)(dim * mlp));
    }

    public LayerNorm Norm1 { get; }
    public LayerNorm Norm1A { get; }
    public LayerNorm Norm1V { get; }
    public MultiHeadSelfAttention Attn { get; }
    public LayerNorm Norm2 { get; }
    public LayerNorm Norm2A { get; }
    public LayerNorm Norm2V { get; }
    public Mlp Mlp { get; }

    /// <summary>[B, N, D] → [B, N, D]: x + attn(norm1(x)), then + mlp(norm2(x)), with the norms of <paramref name="modality"/>.</summary>
    public Tensor Forward(Tensor x, TokenModality modality)
    {
        var (first, second) = modality switch
        {
            TokenModality.Joint => (Norm1, Norm2),
            TokenModality.Audio => (Norm1A, Norm2A),
            TokenModality.Video => (Norm1V, Norm2V),
            _ => throw new ArgumentOutOfRangeException(nameof(modality), $"shared_transformer: unknown modality {modality}."),
        };
        using var scope = new TensorScope();
        var h = x + Attn.Forward(first.Forward(x));
        return scope.MoveToOuter(h + Mlp.Forward(second.Forward(h)));
    }
}
