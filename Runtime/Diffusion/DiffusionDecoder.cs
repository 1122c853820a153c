using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// DiffMAE's decoder over a 2-D grid (rows, columns) of spectrogram patches with fixed 2-D sin-cos positions: predicts x0
/// of every masked patch from the encoder's visible tokens and the noised target. <c>queries: noised</c> embeds x_t at
/// the masked positions and adds a timestep embedding to every token, <c>queries: mask_token</c> is MAE's mask token
/// (then, with <c>attention: joint</c>, exactly mae_decoder); <c>attention: joint</c> runs self-attention over all N tokens,
/// <c>attention: cross</c> only the masked queries, each attending to the visible tokens (not to one another), with the
/// visible positions of the result holding the clean patches. See <see cref="DenoisingDecoder"/>.
/// </summary>
[Constraint("inputs > 0 and outputs > 0", "inputs and outputs must be positive")]
[Constraint("depth >= 1", "depth is at least one block")]
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("dim % 4 == 0", "dim must be a multiple of 4 (the 2-D sin-cos table)")]
[Constraint("mlp > 0", "mlp is the hidden width as a multiple of dim")]
[Constraint("len(grid) == 2 and grid[0] > 0 and grid[1] > 0", "grid is [rows, columns] of positive sizes")]
[Component("diffusion_decoder")]
public sealed class DiffusionDecoder : DenoisingDecoder
{
    public DiffusionDecoder(int inputs, int dim, int depth, int heads, int outputs, int[] grid, double mlp = 4.0,
        DecoderQueries queries = DecoderQueries.Noised, DecoderAttention attention = DecoderAttention.Joint)
        : base("diffusion_decoder", inputs, dim, depth, heads, outputs, new SinCos2d(dim, grid), (long)grid[0] * grid[1], mlp, queries, attention)
    {
    }

    /// <summary>context [B, K, inputs] + its <see cref="MaskedView"/> + the noised target [B, N, P] → x0 [B, N, P]</summary>
    [Constraint("K <= grid[0] * grid[1]", "the visible tokens cannot outnumber the grid's cells")]
    [Shape("context: [B, K, inputs], view.keep_indices: [B, K], target.noised: [B, grid[0] * grid[1], outputs] -> [B, grid[0] * grid[1], outputs]")]
    public Tensor Forward(Tensor context, MaskedView view, NoisedPatches target) => Decode(context, view, target);
}
