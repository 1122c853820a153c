using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// A stack of <see cref="TransformerBlock"/>s over tokens [B, N, D]. With pre-norm a final LayerNorm closes the
/// stack (ViT/MAE); with post-norm the last block already ends in one, and a LayerNorm (eps 1e-6, affine) opens it,
/// as data2vec 2.0's and EAT's <c>context_encoder.norm</c> does with <c>layer_norm_first: false</c>. Stochastic depth
/// rises linearly from 0 in the first block to <c>dropPath</c> in the last, as in timm.
/// </summary>
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1", "heads is at least 1")]
[Constraint("dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("0 <= drop_path < 1", "drop_path is a probability: 0 ≤ drop_path < 1")]
[Component("transformer")]
public sealed class Transformer : Module
{
    public Transformer(int dim, int depth, int heads, double mlp = 4.0, Norm norm = Norm.Pre, double dropPath = 0.0, WeightInit init = WeightInit.Xavier)
    {
        if (depth <= 0)
            throw new ArgumentOutOfRangeException(nameof(depth), $"transformer: depth must be positive, got {depth}.");
        Dim = dim;
        Placement = norm;
        InputNorm = norm == Norm.Post ? new LayerNorm(dim, eps: 1e-6) : null;
        Blocks = new ModuleList<TransformerBlock>(Enumerable.Range(0, depth).Select(i =>
            new TransformerBlock(dim, heads, mlp, norm, depth == 1 ? 0.0 : dropPath * i / (depth - 1), init)));
        _norm = norm == Norm.Pre ? new LayerNorm(dim) : null;
    }

    public int Dim { get; }
    public Norm Placement { get; }

    /// <summary>Post-norm only: normalises the tokens before the first block (key <c>input_norm</c>).</summary>
    public LayerNorm? InputNorm { get; }

    public ModuleList<TransformerBlock> Blocks { get; }

    /// <summary>Stochastic depth rising linearly from 0 in the first block to <paramref name="rate"/> in the last, as the
    /// constructor's <c>dropPath</c> sets it (fine-tuning's drop-path on an encoder pre-trained without).</summary>
    public void SetDropPath(double rate)
    {
        for (var i = 0; i < Blocks.Count; i++)
            Blocks[i].Drop.Probability = Blocks.Count == 1 ? 0.0 : rate * i / (Blocks.Count - 1);
    }

    // Declared after Blocks so the state dict lists it last, as timm's ViT does.
    private readonly LayerNorm? _norm;

    /// <summary>[B, N, D] → [B, N, D]</summary>
    [Shape("x: [B, N, dim] -> [B, N, dim]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[2] != Dim)
            throw new ArgumentException($"transformer: expected [B, N, {Dim}], got {x.Describe()}.");
        using var scope = new TensorScope();
        var h = InputNorm?.Forward(x) ?? x;
        foreach (var block in Blocks)
            h = block.Forward(h);
        if (_norm is not null)
            h = _norm.Forward(h);
        return scope.MoveToOuter(ReferenceEquals(h, x) ? x.Alias() : h);
    }

    /// <summary>
    /// [B, N, D] → the final output plus every block's output and every block's feed-forward output before the
    /// residual add, first block first (EAT's teacher averages the instance-normalised FFN outputs of all layers).
    /// </summary>
    [Shape("x: [B, N, dim] -> output: [B, N, dim], layers: [depth, B, N, dim], ffn: [depth, B, N, dim]")]
    public TransformerLayers ForwardLayers(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[2] != Dim)
            throw new ArgumentException($"transformer: expected [B, N, {Dim}], got {x.Describe()}.");
        using var scope = new TensorScope();
        var layers = new Tensor[Blocks.Count];
        var ffn = new Tensor[Blocks.Count];
        var h = InputNorm?.Forward(x) ?? x;
        for (var i = 0; i < Blocks.Count; i++)
        {
            (h, ffn[i]) = Blocks[i].ForwardWithFfn(h);
            layers[i] = h;
        }
        var output = _norm is not null ? _norm.Forward(h) : h.Alias();
        foreach (var t in layers) scope.MoveToOuter(t);
        foreach (var t in ffn) scope.MoveToOuter(t);
        return new TransformerLayers(scope.MoveToOuter(output), layers, ffn);
    }
}
