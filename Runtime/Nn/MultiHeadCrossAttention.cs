using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Multi-head cross-attention on the fused SDPA op: queries from x [B, Nq, D], keys and values from a context
/// [B, Nk, C] (DiffMAViL's video decoder: masked queries attend to visible tokens). Projections q (D → D),
/// kv (C → 2D), proj (D → D), all with bias; timm's naming.
/// </summary>
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("context >= 0", "context is the context's width, or 0 for dim")]
[Component("cross_attention")]
public sealed class MultiHeadCrossAttention : Module
{
    /// <param name="context">channels of the context; 0 means the same as <paramref name="dim"/></param>
    public MultiHeadCrossAttention(int dim, int heads, int context = 0)
    {
        if (heads <= 0 || dim % heads != 0)
            throw new ArgumentException($"cross_attention: dim ({dim}) must be divisible by heads ({heads}).");
        Heads = heads;
        Dim = dim;
        ContextDim = context == 0 ? dim : context;
        Q = new Linear(dim, dim);
        Kv = new Linear(ContextDim, 2 * dim);
        Proj = new Linear(dim, dim);
    }

    public int Heads { get; }
    public int Dim { get; }
    public int ContextDim { get; }
    public Linear Q { get; }
    public Linear Kv { get; }
    public Linear Proj { get; }

    /// <summary>x [B, Nq, D], context [B, Nk, C] → [B, Nq, D]</summary>
    [Shape("x: [B, Nq, dim], context: [B, Nk, C] -> [B, Nq, dim]")]
    [Constraint("context == 0 and C == dim or context > 0 and C == context", "the context's width must be `context` (`dim` when context is 0)")]
    public Tensor Forward(Tensor x, Tensor context)
    {
        var (xs, cs) = (x.Shape, context.Shape);
        if (xs.Length != 3 || cs.Length != 3 || xs[0] != cs[0] || xs[2] != Dim || cs[2] != ContextDim)
            throw new ArgumentException($"cross_attention: expected x [B, Nq, {Dim}] and context [B, Nk, {ContextDim}], got {x.Describe()} and {context.Describe()}.");
        var (batch, queries, keys, headDim) = (xs[0], xs[1], cs[1], Dim / Heads);

        using var scope = new TensorScope();
        var q = Q.Forward(x).Reshape(batch, queries, Heads, headDim).Transpose(1, 2);  // [B, H, Nq, Dh]
        var kv = Kv.Forward(context).Reshape(batch, keys, 2, Heads, headDim)
            .Permute(2, 0, 3, 1, 4);                                                     // [2, B, H, Nk, Dh]
        var mixed = Functional.ScaledDotProductAttention(q, kv[0], kv[1]);              // [B, H, Nq, Dh]
        var merged = mixed.Transpose(1, 2).Reshape(batch, queries, Dim);                // [B, Nq, D]
        return scope.MoveToOuter(Proj.Forward(merged));
    }
}
