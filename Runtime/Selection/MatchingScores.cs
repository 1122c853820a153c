using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// What <see cref="AudioVideoMatching"/> makes of one batch of audio [B, Na, D] and video [B, Nv, D] tokens. Only
/// <see cref="Logit"/> carries gradients; the rest are selection statistics, computed without a graph.
/// </summary>
/// <param name="AudioImportance">[B, Na] how much video attends to each audio patch: softmax(V2A / temperature) over audio
/// keys, averaged over heads and video queries; each row sums to 1.</param>
/// <param name="VideoImportance">[B, Nv] the same for video patches, from the audio queries; each row sums to 1.</param>
/// <param name="Logit">[B] the match logit of each given (audio, video) pair.</param>
/// <param name="AudioToVideo">[B, H, Na, Nv] the raw scaled attention logits q_a k_vᵀ / √Dh.</param>
/// <param name="VideoToAudio">[B, H, Nv, Na] q_v k_aᵀ / √Dh.</param>
/// <param name="AudioQueries">[B, H, Na, Dh] per-head audio queries.</param>
/// <param name="AudioKeys">[B, H, Na, Dh] per-head audio keys.</param>
/// <param name="VideoQueries">[B, H, Nv, Dh] per-head video queries.</param>
/// <param name="VideoKeys">[B, H, Nv, Dh] per-head video keys.</param>
public sealed record MatchingScores(
    Tensor AudioImportance, Tensor VideoImportance, Tensor Logit,
    Tensor AudioToVideo, Tensor VideoToAudio,
    Tensor AudioQueries, Tensor AudioKeys, Tensor VideoQueries, Tensor VideoKeys);
