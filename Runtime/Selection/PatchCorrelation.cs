using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>How likely each patch of one modality correlates with the replayed past, which <see cref="PatchSelector"/> prunes by.</summary>
/// <param name="Probability">[B, N] r per patch in [0, 1]; 0 for patches that were no candidates.</param>
/// <param name="Past">False when the buffer was empty: there is nothing to compare with, and selection keeps the most
/// important patches instead of sampling.</param>
public sealed record PatchCorrelation(Tensor Probability, bool Past);
