using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// STELLA's replay-guided correlation. The candidates of a modality are its ⌊N·keep⌋ most important patches. For a
/// video candidate j and head h: past = k_j · q_past / √Dh, where q_past is a stored clip's importance-weighted audio query
/// summary, and current = the A2V logits into j from the audio candidates, averaged with their importance as weights;
/// r_j = softmax([past, current])[0] averaged over heads is the probability that j correlates with the past rather than
/// with its own audio. Audio is symmetric. Clip b is compared with stored clip b (the official pairs the current batch with
/// the first B clips drawn from the buffer); no stored clips (M = 0) means no past and r = 0. Also returns this batch's
/// summaries for the buffer. No gradients: it only chooses patches.
/// </summary>
[Constraint("0 < keep <= 1", "keep is the share of patches that stay candidates: 0 < keep ≤ 1")]
[Component("replay_correlation")]
public sealed class ReplayCorrelation : Module
{
    public ReplayCorrelation(double keep = 0.5)
    {
        if (keep is not (> 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(keep), $"replay_correlation: keep must be in (0, 1], got {keep}.");
        Keep = keep;
    }

    public double Keep { get; }

    /// <summary>Candidates out of <paramref name="tokens"/> patches (the official <c>int(L * (1 - ratio))</c>).</summary>
    public static long CandidateCount(long tokens, double keep) => Math.Max(1, (long)(tokens * keep));

    /// <summary>scores of the current batch, stored audio and video query summaries [M, H, Dh] (M = 0: an empty buffer)
    /// → each modality's correlation with the past and the batch's own summaries.</summary>
    [Shape("scores.audio_keys: [B, H, Na, Dh], scores.video_keys: [B, H, Nv, Dh], past_audio: [M, H, Dh], past_video: [M, H, Dh] -> " +
           "audio_summary: [B, H, Dh], video_summary: [B, H, Dh], audio.probability: [B, Na], video.probability: [B, Nv]")]
    public AvCorrelation Forward(MatchingScores scores, Tensor pastAudio, Tensor pastVideo)
    {
        var keys = scores.VideoKeys.Shape;
        if (keys.Length != 4 || scores.AudioKeys.Dim != 4)
            throw new ArgumentException($"replay_correlation: expected per-head keys [B, H, N, Dh], got {scores.AudioKeys.Describe()} and {scores.VideoKeys.Describe()}.");
        var (batch, heads, headDim) = (keys[0], keys[1], keys[3]);
        var stored = CheckPast(pastAudio, batch, heads, headDim, "past_audio");
        if (CheckPast(pastVideo, batch, heads, headDim, "past_video") != stored)
            throw new ArgumentException($"replay_correlation: past_audio {pastAudio.Describe()} and past_video {pastVideo.Describe()} hold different numbers of clips.");
        var (audioCount, videoCount) = (scores.AudioKeys.Shape[2], keys[2]);
        var scale = 1.0 / Math.Sqrt(headDim);

        using var grad = T.NoGrad();
        using var scope = new TensorScope();
        var audioCandidates = Candidates(scores.AudioImportance, audioCount);                     // [B, Ka]
        var videoCandidates = Candidates(scores.VideoImportance, videoCount);                     // [B, Kv]
        var audioWeights = scores.AudioImportance.Gather(1, audioCandidates);                    // [B, Ka]
        var videoWeights = scores.VideoImportance.Gather(1, videoCandidates);                    // [B, Kv]
        var audioSummary = WeightedMean(TakeHeads(scores.AudioQueries, audioCandidates), audioWeights); // [B, H, Dh]
        var videoSummary = WeightedMean(TakeHeads(scores.VideoQueries, videoCandidates), videoWeights); // [B, H, Dh]

        PatchCorrelation audio, video;
        if (stored == 0)
        {
            audio = new PatchCorrelation(scope.MoveToOuter(T.Zeros([batch, audioCount], DType.Float32, scores.AudioImportance.Device)), Past: false);
            video = new PatchCorrelation(scope.MoveToOuter(T.Zeros([batch, videoCount], DType.Float32, scores.VideoImportance.Device)), Past: false);
        }
        else
        {
            var videoR = Correlate(TakeHeads(scores.VideoKeys, videoCandidates), pastAudio.Narrow(0, 0, batch),
                scores.AudioToVideo, audioCandidates, audioWeights, videoCandidates, scale);      // [B, Kv]
            var audioR = Correlate(TakeHeads(scores.AudioKeys, audioCandidates), pastVideo.Narrow(0, 0, batch),
                scores.VideoToAudio, videoCandidates, videoWeights, audioCandidates, scale);      // [B, Ka]
            video = new PatchCorrelation(scope.MoveToOuter(Place(videoR, videoCandidates, videoCount)), Past: true);
            audio = new PatchCorrelation(scope.MoveToOuter(Place(audioR, audioCandidates, audioCount)), Past: true);
        }
        return new AvCorrelation(audio, video, scope.MoveToOuter(audioSummary), scope.MoveToOuter(videoSummary));
    }

    private static long CheckPast(Tensor past, long batch, long heads, long headDim, string name)
    {
        var shape = past.Shape;
        if (shape.Length != 3 || shape[1] != heads || shape[2] != headDim)
            throw new ArgumentException($"replay_correlation: expected {name} [M, {heads}, {headDim}], got {past.Describe()}.");
        if (shape[0] != 0 && shape[0] < batch)
            throw new ArgumentException(
                $"replay_correlation: {name} holds {shape[0]} stored clips for a batch of {batch}; clip b is compared with stored clip b, so give none or at least {batch}.");
        return shape[0];
    }

    // The ⌊N·keep⌋ most important patches, most important first: [B, N] → [B, K].
    private Tensor Candidates(Tensor importance, long count) =>
        importance.Argsort(1, descending: true).Narrow(1, 0, CandidateCount(count, Keep));

    // x [B, H, N, Dh] at indices [B, K] → [B, H, K, Dh]
    private static Tensor TakeHeads(Tensor x, Tensor indices)
    {
        var s = x.Shape;
        return x.Gather(2, indices.Unsqueeze(1).Unsqueeze(-1).Expand(s[0], s[1], indices.Shape[1], s[3]));
    }

    // Σ_k w_k x[.., k, :] / Σ_k w_k: [B, H, K, Dh] with [B, K] → [B, H, Dh]
    private static Tensor WeightedMean(Tensor x, Tensor weights) =>
        (x * weights.Unsqueeze(1).Unsqueeze(-1)).Sum(2) / weights.Sum(1).Unsqueeze(-1).Unsqueeze(-1);

    // keys [B, H, Kk, Dh] of one modality's candidates, past queries [B, H, Dh] of the other; logits [B, H, Nq, Nk] from the
    // other modality's queries into this one's keys → r [B, Kk].
    private static Tensor Correlate(Tensor keys, Tensor pastQueries, Tensor logits, Tensor queryCandidates, Tensor queryWeights,
        Tensor keyCandidates, double scale)
    {
        var s = logits.Shape;
        var (kq, kk) = (queryCandidates.Shape[1], keyCandidates.Shape[1]);
        var past = Functional.Einsum("bhkd,bhd->bhk", keys, pastQueries) * scale;                         // [B, H, Kk]
        var columns = logits.Gather(3, keyCandidates.Unsqueeze(1).Unsqueeze(1).Expand(s[0], s[1], s[2], kk));  // [B, H, Nq, Kk]
        var rows = columns.Gather(2, queryCandidates.Unsqueeze(1).Unsqueeze(-1).Expand(s[0], s[1], kq, kk));  // [B, H, Kq, Kk]
        var current = (rows * queryWeights.Unsqueeze(1).Unsqueeze(-1)).Sum(2)
                      / queryWeights.Sum(1).Unsqueeze(-1).Unsqueeze(-1);                                  // [B, H, Kk]
        return T.Stack([past, current], dim: -1).Softmax(-1).Select(-1, 0).Mean(1);                    // [B, Kk]
    }

    // r of the candidates [B, K] into every patch [B, N], zero elsewhere.
    private static Tensor Place(Tensor values, Tensor candidates, long count) =>
        T.Zeros([values.Shape[0], count], DType.Float32, values.Device).Scatter(1, candidates, values);
}
