using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>timm's ViT <c>Attention</c>: one qkv projection (with bias), softmax(q kᵀ / √d_head) v per head, output projection.</summary>
public sealed class MultiHeadSelfAttention : Module
{
    public MultiHeadSelfAttention(int dim, int heads, WeightInit init = WeightInit.Xavier)
    {
        if (heads <= 0 || dim % heads != 0)
            throw new ArgumentException($"attention: dim ({dim}) must be divisible by heads ({heads}).");
        Heads = heads;
        Qkv = new Linear(dim, 3 * dim, init: init);
        Proj = new Linear(dim, dim, init: init);
    }

    public int Heads { get; }
    public Linear Qkv { get; }
    public Linear Proj { get; }

    /// <summary>[B, N, D] → [B, N, D]</summary>
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3)
            throw new ArgumentException($"attention: expected [B, N, D], got {x.Describe()}.");
        var (batch, tokens, dim) = (shape[0], shape[1], shape[2]);

        using var scope = new TensorScope();
        var qkv = Qkv.Forward(x)
            .Reshape(batch, tokens, 3, Heads, dim / Heads)
            .Permute(2, 0, 3, 1, 4);                                       // [3, B, H, N, Dh]
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);                          // [B, H, N, Dh]
        var mixed = Functional.ScaledDotProductAttention(q, k, v);        // [B, H, N, Dh]
        var merged = mixed.Transpose(1, 2).Reshape(batch, tokens, dim);    // [B, N, D]
        return scope.MoveToOuter(Proj.Forward(merged));
    }
}
