using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// MAE's decoder over a <see cref="PatchSelection"/>: the encoder's E visible tokens, embedded, and a learned mask token for
/// each of the T targets, each with the fixed sin-cos position of its patch (<c>grid</c> [rows, columns] → 2-D table,
/// [frames, rows, columns] → 3-D), through a pre-norm Transformer (ending in a LayerNorm); predicts <c>outputs</c> values
/// for the targets only. The dropped patches are never decoded: attention runs over E + T tokens, not N — STELLA's saving.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("len(grid) == 2 and dim % 4 == 0 or len(grid) == 3 and dim % 16 == 0",
    "grid is [rows, columns] (dim a multiple of 4) or [frames, rows, columns] (dim a multiple of 16)")]
[Component("selection_decoder")]
public sealed class SelectionDecoder : Module
{
    public SelectionDecoder(int inputs, int dim, int depth, int heads, int outputs, int[] grid, double mlp = 4.0)
    {
        if (grid is not { Length: 2 or 3 } || grid.Any(g => g <= 0))
            throw new ArgumentException($"selection_decoder: grid must be [rows, columns] or [frames, rows, columns] of positive sizes, got [{string.Join(", ", grid ?? [])}].");
        Embed = new Linear(inputs, dim);
        MaskToken = Parameter.Zeros(1, 1, dim);
        Init.Normal(MaskToken, std: 0.02);
        Pos = grid.Length == 2 ? new SinCos2d(dim, grid) : new SinCos3d(dim, grid);
        Transformer = new Transformer(dim, depth, heads, mlp, Norm.Pre);
        Pred = new Linear(dim, outputs);
        Dim = dim;
        Tokens = grid.Aggregate(1L, (n, g) => n * g);
    }

    public int Dim { get; }

    /// <summary>N, the grid's cells.</summary>
    public long Tokens { get; }

    public Linear Embed { get; }

    /// <summary>[1, 1, dim], N(0, 0.02²) as in MAE.</summary>
    public Parameter MaskToken { get; }

    public PositionEmbedding Pos { get; }
    public Transformer Transformer { get; }
    public Linear Pred { get; }

    /// <summary>visible [B, E, inputs] (the encoder's output for <c>selection.visible</c>) → predictions [B, T, outputs] for
    /// <c>selection.target_indices</c>, in that order.</summary>
    [Shape("visible: [B, E, inputs], selection.visible_indices: [B, E], selection.target_indices: [B, T] -> [B, T, outputs]")]
    public Tensor Forward(Tensor visible, PatchSelection selection)
    {
        var shape = visible.Shape;
        var (visibleIndices, targetIndices) = (selection.VisibleIndices.Shape, selection.TargetIndices.Shape);
        if (shape.Length != 3 || visibleIndices.Length != 2 || targetIndices.Length != 2 || visibleIndices[0] != shape[0] || targetIndices[0] != shape[0])
            throw new ArgumentException($"selection_decoder: expected visible [B, E, inputs] and indices [B, ·], got {visible.Describe()}, " +
                                        $"{selection.VisibleIndices.Describe()} and {selection.TargetIndices.Describe()}.");
        // A CLS token left on the encoder's output would shift every position by one.
        if (visibleIndices[1] != shape[1])
            throw new ArgumentException($"selection_decoder: visible {visible.Describe()} has {shape[1]} tokens but the selection encoded {visibleIndices[1]}; drop a CLS token before the decoder.");
        if (selection.Masked.Shape is not [_, var n] || n != Tokens)
            throw new ArgumentException($"selection_decoder: the selection covers {selection.Masked.Describe()} patches but the grid has {Tokens}.");
        var (batch, encoded, targets) = (shape[0], shape[1], targetIndices[1]);

        using var scope = new TensorScope();
        var x = T.Cat([Embed.Forward(visible), MaskToken.Expand(batch, targets, Dim)], dim: 1);      // [B, E + T, dim]
        var positions = T.Cat([selection.VisibleIndices, selection.TargetIndices], dim: 1);            // [B, E + T]
        var table = Pos.Forward().Expand(batch, Tokens, Dim);                                           // [B, N, dim]
        x = x + table.Gather(1, positions.Unsqueeze(-1).Expand(batch, encoded + targets, Dim));
        var decoded = Transformer.Forward(x).Narrow(1, encoded, targets);                               // [B, T, dim]
        return scope.MoveToOuter(Pred.Forward(decoded));
    }
}
