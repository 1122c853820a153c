using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// DiffMAE's decoder over a 3-D grid (frames, rows, columns) of video tubelets with fixed 3-D sin-cos positions in
/// <see cref="TubeletEmbed3d"/>'s token order; otherwise as <see cref="DiffusionDecoder"/> (DiffMAViL's video decoder is
/// <c>attention: cross</c>). See <see cref="DenoisingDecoder"/>.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("dim % 16 == 0", "dim must be a multiple of 16 (the 3-D sin-cos table)")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("len(grid) == 3 and grid[0] > 0 and grid[1] > 0 and grid[2] > 0", "grid is [frames, rows, columns] of positive sizes")]
[Component("diffusion_decoder_3d")]
public sealed class DiffusionDecoder3d : DenoisingDecoder
{
    public DiffusionDecoder3d(int inputs, int dim, int depth, int heads, int outputs, int[] grid, double mlp = 4.0,
        DecoderQueries queries = DecoderQueries.Noised, DecoderAttention attention = DecoderAttention.Joint)
        : base("diffusion_decoder_3d", inputs, dim, depth, heads, outputs, new SinCos3d(dim, grid), (long)grid[0] * grid[1] * grid[2], mlp, queries, attention)
    {
    }

    /// <summary>context [B, K, inputs] + its <see cref="MaskedView"/> + the noised target [B, N, P] → x0 [B, N, P]</summary>
    [Constraint("K <= grid[0] * grid[1] * grid[2]", "the visible tokens cannot outnumber the grid's cells")]
    [Shape("context: [B, K, inputs], view.keep_indices: [B, K], target.noised: [B, grid[0] * grid[1] * grid[2], outputs] -> [B, grid[0] * grid[1] * grid[2], outputs]")]
    public Tensor Forward(Tensor context, MaskedView view, NoisedPatches target) => Decode(context, view, target);
}
