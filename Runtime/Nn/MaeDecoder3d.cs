using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// MAE's decoder over video tubelets (VideoMAE, MAViL's video decoder): as <see cref="MaeDecoder"/>, with a fixed 3-D
/// sin-cos position table for <c>grid</c> = (frames, rows, columns) of tubelets, in the token order of
/// <see cref="TubeletEmbed3d"/>.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("dim % 16 == 0", "dim must be a multiple of 16 (the 3-D sin-cos table)")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("len(grid) == 3 and grid[0] > 0 and grid[1] > 0 and grid[2] > 0", "grid is [frames, rows, columns] of positive sizes")]
[Component("mae_decoder_3d")]
public sealed class MaeDecoder3d : MaskTokenDecoder
{
    public MaeDecoder3d(int inputs, int dim, int depth, int heads, int outputs, int[] grid, double mlp = 4.0)
        : base("mae_decoder_3d", inputs, dim, depth, heads, outputs, new SinCos3d(dim, grid), (long)grid[0] * grid[1] * grid[2], mlp)
    {
    }

    /// <summary>visible [B, K, inputs] + its <see cref="MaskedView"/> → [B, N, outputs]</summary>
    [Constraint("K <= grid[0] * grid[1] * grid[2]", "the visible tokens cannot outnumber the grid's cells")]
    [Shape("visible: [B, K, inputs], view.keep_indices: [B, K] -> [B, grid[0] * grid[1] * grid[2], outputs]")]
    public Tensor Forward(Tensor visible, MaskedView view) => Decode(visible, view);
}
