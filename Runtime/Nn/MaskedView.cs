using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// The outcome of masking tokens [B, N, D]: what the encoder sees and how to put the sequence back together.
/// </summary>
/// <param name="Visible">[B, K, D] the kept tokens, in shuffled order.</param>
/// <param name="Masked">Bool [B, N], true where a token was hidden (in the original order).</param>
/// <param name="KeepIndices">Int64 [B, K], original positions of <paramref name="Visible"/>'s tokens.</param>
/// <param name="RestoreIndices">Int64 [B, N], gather indices that undo the shuffle (MAE's ids_restore).</param>
public sealed record MaskedView(Tensor Visible, Tensor Masked, Tensor KeepIndices, Tensor RestoreIndices);
