using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// The pairs the matching loss scores: audio b with video <see cref="VideoIndices"/>[b]; a negative pair's video is another
/// negative's (a derangement of the negatives), a positive's its own.
/// </summary>
/// <param name="Labels">Float32 [B], 1 for a matching pair, 0 for a shuffled one.</param>
/// <param name="VideoIndices">Int64 [B], which clip's video each audio is paired with.</param>
public sealed record MatchingPairs(Tensor Labels, Tensor VideoIndices);
