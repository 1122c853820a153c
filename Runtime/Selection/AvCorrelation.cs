using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>What <see cref="ReplayCorrelation"/> returns for a batch: each modality's correlation with the past, and the
/// query summaries to store in the replay buffer with these clips.</summary>
/// <param name="Audio">Audio patches [B, Na] against the stored video summaries.</param>
/// <param name="Video">Video patches [B, Nv] against the stored audio summaries.</param>
/// <param name="AudioSummary">[B, H, Dh] the audio queries of the candidate patches, weighted by their importance.</param>
/// <param name="VideoSummary">[B, H, Dh] the same for video.</param>
public sealed record AvCorrelation(PatchCorrelation Audio, PatchCorrelation Video, Tensor AudioSummary, Tensor VideoSummary);
