using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// MAE's decoder: embeds the encoder's visible tokens, appends a learned mask token for every hidden position,
/// unshuffles to the original order, adds a fixed 2-D sin-cos position embedding for <c>grid</c> (rows, columns of patches), runs a pre-norm Transformer (which ends in a LayerNorm) and predicts <c>outputs</c> values per token.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("dim % 4 == 0", "dim must be a multiple of 4 (the 2-D sin-cos table)")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("len(grid) == 2 and grid[0] > 0 and grid[1] > 0", "grid is [rows, columns] of positive sizes")]
[Component("mae_decoder")]
public sealed class MaeDecoder : MaskTokenDecoder
{
    public MaeDecoder(int inputs, int dim, int depth, int heads, int outputs, int[] grid, double mlp = 4.0)
        : base("mae_decoder", inputs, dim, depth, heads, outputs, new SinCos2d(dim, grid), (long)grid[0] * grid[1], mlp)
    {
    }

    /// <summary>visible [B, K, inputs] + its <see cref="MaskedView"/> → [B, N, outputs]</summary>
    [Constraint("K <= grid[0] * grid[1]", "the visible tokens cannot outnumber the grid's cells")]
    [Shape("visible: [B, K, inputs], view.keep_indices: [B, K] -> [B, grid[0] * grid[1], outputs]")]
    public Tensor Forward(Tensor visible, MaskedView view) => Decode(visible, view);
}
