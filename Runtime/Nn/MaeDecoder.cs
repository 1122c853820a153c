using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// MAE's decoder: embeds the encoder's visible tokens, appends a learned mask token for every hidden position,
/// unshuffles to the original order, adds a fixed 2-D sin-cos position embedding for <c>grid</c>, runs a
/// pre-norm Transformer (which ends in a LayerNorm) and predicts <c>outputs</c> values per token.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("len(grid) == 2 and grid[0] > 0 and grid[1] > 0", "grid is [rows, columns] of positive sizes")]
[Component("mae_decoder")]
public sealed class MaeDecoder : Module
{
    public MaeDecoder(int inputs, int dim, int depth, int heads, int outputs, int[] grid, double mlp = 4.0)
    {
        Embed = new Linear(inputs, dim);
        MaskToken = Parameter.Zeros(1, 1, dim);
        Init.Normal(MaskToken, std: 0.02);
        Pos = new SinCos2d(dim, grid);
        Transformer = new Transformer(dim, depth, heads, mlp, Norm.Pre);
        Pred = new Linear(dim, outputs);
        Dim = dim;
        Tokens = (long)grid[0] * grid[1];
    }

    public int Dim { get; }

    /// <summary>N = grid[0]·grid[1], the full sequence length.</summary>
    public long Tokens { get; }

    public Linear Embed { get; }

    /// <summary>[1, 1, dim], initialised N(0, 0.02²) as in MAE.</summary>
    public Parameter MaskToken { get; }

    public SinCos2d Pos { get; }
    public Transformer Transformer { get; }
    public Linear Pred { get; }

    /// <summary>visible [B, K, inputs] + its <see cref="MaskedView"/> → [B, N, outputs]</summary>
    [Constraint("K <= grid[0] * grid[1]", "the visible tokens cannot outnumber the grid's cells")]
    [Shape("visible: [B, K, inputs], view.keep_indices: [B, K] -> [B, grid[0] * grid[1], outputs]")]
    public Tensor Forward(Tensor visible, MaskedView view)
    {
        var shape = visible.Shape;
        var restoreShape = view.RestoreIndices.Shape;
        var keepShape = view.KeepIndices.Shape;
        if (shape.Length != 3 || restoreShape.Length != 2 || restoreShape[0] != shape[0] || restoreShape[1] != Tokens || shape[1] > Tokens)
            throw new ArgumentException(
                $"mae_decoder: visible {visible.Describe()} and restore indices {view.RestoreIndices.Describe()} do not fit a grid of {Tokens} tokens.");
        // One token more or less than the mask kept (a CLS token added or dropped on one path) would shift every position.
        if (keepShape.Length != 2 || keepShape[1] != shape[1])
            throw new ArgumentException(
                $"mae_decoder: visible {visible.Describe()} has {shape[1]} tokens but its mask kept {(keepShape.Length == 2 ? keepShape[1] : -1)}; drop a CLS token before the decoder.");
        var (batch, kept) = (shape[0], shape[1]);

        using var scope = new TensorScope();
        var x = Embed.Forward(visible);                                             // [B, K, dim]
        var fill = MaskToken.Expand(batch, Tokens - kept, Dim);                     // [B, N-K, dim]
        var shuffled = Torch.Torch.Cat([x, fill], dim: 1);                         // [B, N, dim] kept first
        var index = view.RestoreIndices.Unsqueeze(-1).Expand(-1, -1, Dim);         // [B, N, dim]
        var ordered = shuffled.Gather(1, index) + Pos.Forward();                    // [B, N, dim] original order
        var prediction = Pred.Forward(Transformer.Forward(ordered));                     // [B, N, outputs]
        return scope.MoveToOuter(prediction);
    }
}
