using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// What <see cref="PatchSelector"/> keeps of tokens [B, N, D]: E patches for the encoder, T reconstruction targets, and the
/// N − E − T dropped patches that reach neither encoder nor decoder.
/// </summary>
/// <param name="Visible">[B, E, D] the encoder's tokens, in <see cref="VisibleIndices"/>' order.</param>
/// <param name="VisibleIndices">Int64 [B, E] their positions.</param>
/// <param name="TargetIndices">Int64 [B, T] positions of the reconstruction targets (disjoint from the visible ones).</param>
/// <param name="Masked">Bool [B, N], true at the targets: the positions a reconstruction loss reads.</param>
/// <param name="Dropped">Bool [B, N], true at the patches neither encoded nor reconstructed.</param>
public sealed record PatchSelection(Tensor Visible, Tensor VisibleIndices, Tensor TargetIndices, Tensor Masked, Tensor Dropped);
