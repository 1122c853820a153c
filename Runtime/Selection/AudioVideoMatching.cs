using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// STELLA's audio-video matching module: per-modality LayerNorm (eps 1e-5, PyTorch's default, as the official module), bias-free
/// q/k/v per modality, audio→video and video→audio attention with <c>heads</c> heads, and a matching head over
/// [mean of attended video; mean of attended audio]. <see cref="Forward"/> scores the given pairs and measures patch
/// importance; <see cref="ForwardMatchingLoss"/> trains the module with BCE, half the pairs made negative by a
/// derangement. Heads are merged as timm does ([B, H, N, Dh] → [B, N, H·Dh]); the official code reshapes without moving
/// the head axis first, which mixes heads and tokens before the mean.
/// </summary>
[Constraint("heads >= 1 and dim > 0 and dim % heads == 0", "dim must be a positive multiple of heads")]
[Constraint("temperature > 0", "temperature divides the attention logits: it must be positive")]
[Component("av_matching")]
public sealed class AudioVideoMatching : Module
{
    public AudioVideoMatching(int dim, int heads = 12, double temperature = 0.4)
    {
        if (heads <= 0 || dim <= 0 || dim % heads != 0)
            throw new ArgumentException($"av_matching: dim ({dim}) must be a positive multiple of heads ({heads}).");
        if (!(temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), $"av_matching: temperature must be positive, got {temperature}.");
        Dim = dim;
        Heads = heads;
        Temperature = temperature;
        NormV = new LayerNorm(dim, eps: 1e-5);
        NormA = new LayerNorm(dim, eps: 1e-5);
        VideoQuery = Projection(dim);
        VideoKey = Projection(dim);
        VideoValue = Projection(dim);
        AudioQuery = Projection(dim);
        AudioKey = Projection(dim);
        AudioValue = Projection(dim);
        Head = new MatchingHead(2 * dim);
    }

    private static Linear Projection(int dim) => new(dim, dim, bias: false, init: WeightInit.Bert);

    public int Dim { get; }
    public int Heads { get; }
    public double Temperature { get; }

    /// <summary>1 / √Dh, the attention logits' scale.</summary>
    public double Scale => 1.0 / Math.Sqrt(Dim / Heads);

    public LayerNorm NormV { get; }
    public LayerNorm NormA { get; }
    public Linear VideoQuery { get; }
    public Linear VideoKey { get; }
    public Linear VideoValue { get; }
    public Linear AudioQuery { get; }
    public Linear AudioKey { get; }
    public Linear AudioValue { get; }
    public MatchingHead Head { get; }

    /// <summary>audio [B, Na, D], video [B, Nv, D] → importance of every patch, the pairs' match logits and the per-head
    /// queries, keys and logits replay-guided correlation reads.</summary>
    [Shape("audio: [B, Na, dim], video: [B, Nv, dim] -> audio_importance: [B, Na], video_importance: [B, Nv], logit: [B], " +
           "audio_to_video: [B, heads, Na, Nv], video_to_audio: [B, heads, Nv, Na], audio_queries: [B, heads, Na, dim / heads], " +
           "audio_keys: [B, heads, Na, dim / heads], video_queries: [B, heads, Nv, dim / heads], video_keys: [B, heads, Nv, dim / heads]")]
    public MatchingScores Forward(Tensor audio, Tensor video)
    {
        Check(audio, video);
        using var scope = new TensorScope();
        var (qa, ka, va, qv, kv, vv) = Project(audio, video);
        var a2v = qa.Matmul(kv.Transpose(-2, -1)) * Scale;                 // [B, H, Na, Nv]
        var v2a = qv.Matmul(ka.Transpose(-2, -1)) * Scale;                 // [B, H, Nv, Na]
        var logit = Match(a2v, v2a, va, vv);                               // [B]

        // Selection statistics need no graph: they choose patches, they are not trained through.
        Tensor audioImportance, videoImportance;
        using (T.NoGrad())
        {
            videoImportance = (a2v.Detach() / Temperature).Softmax(-1).Mean([1L, 2L]);  // [B, Nv] over heads and audio queries
            audioImportance = (v2a.Detach() / Temperature).Softmax(-1).Mean([1L, 2L]);  // [B, Na]
        }
        return new MatchingScores(
            scope.MoveToOuter(audioImportance), scope.MoveToOuter(videoImportance), scope.MoveToOuter(logit),
            scope.MoveToOuter(a2v.Detach()), scope.MoveToOuter(v2a.Detach()),
            scope.MoveToOuter(qa.Detach()), scope.MoveToOuter(ka.Detach()), scope.MoveToOuter(qv.Detach()), scope.MoveToOuter(kv.Detach()));
    }

    /// <summary>
    /// The matching loss: BCE with logits over <see cref="DrawPairs"/>'s pairs (half of them shuffled negatives), averaged
    /// over the batch. Detach the inputs to train the module alone, as STELLA does with its backbone frozen.
    /// </summary>
    [Shape("audio: [B, Na, dim], video: [B, Nv, dim] -> []")]
    public Tensor ForwardMatchingLoss(Tensor audio, Tensor video)
    {
        Check(audio, video);
        using var scope = new TensorScope();
        var pairs = DrawPairs(audio.Shape[0]);
        return scope.MoveToOuter(MatchingLoss(audio, video, pairs));
    }

    /// <summary>BCE with logits of the pairs <paramref name="pairs"/> names, mean over the batch.</summary>
    public Tensor MatchingLoss(Tensor audio, Tensor video, MatchingPairs pairs)
    {
        Check(audio, video);
        using var scope = new TensorScope();
        var logits = Logits(audio, video.IndexSelect(0, pairs.VideoIndices));
        return scope.MoveToOuter(Functional.BinaryCrossEntropyWithLogits(logits, pairs.Labels));
    }

    /// <summary>The match logit [B] of audio b with video b, with gradients.</summary>
    public Tensor Logits(Tensor audio, Tensor video)
    {
        Check(audio, video);
        using var scope = new TensorScope();
        var (qa, ka, va, qv, kv, vv) = Project(audio, video);
        var a2v = qa.Matmul(kv.Transpose(-2, -1)) * Scale;
        var v2a = qv.Matmul(ka.Transpose(-2, -1)) * Scale;
        return scope.MoveToOuter(Match(a2v, v2a, va, vv));
    }

    /// <summary>
    /// Labels and pairing for a batch of <paramref name="batch"/> clips, drawn from the default generator in the official
    /// order: ⌊B/2⌋ ones and the rest zeros, permuted by randperm(B); the negatives' videos then permuted by randperm until
    /// no negative keeps its own (each retry permuting the last draw). Two clips or fewer are all positive, drawing nothing.
    /// </summary>
    public static MatchingPairs DrawPairs(long batch)
    {
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), $"av_matching: a batch needs at least one clip, got {batch}.");
        var labels = Enumerable.Repeat(1f, (int)batch).ToArray();
        var videos = Enumerable.Range(0, (int)batch).Select(i => (long)i).ToArray();
        if (batch > 2)
        {
            var positives = batch / 2;
            var order = Permutation(batch);
            var ordered = new float[batch];
            for (var i = 0; i < batch; i++)
                ordered[i] = order[i] < positives ? 1f : 0f;  // labels = cat(ones, zeros)[order]
            labels = ordered;
            var negatives = Enumerable.Range(0, (int)batch).Where(i => labels[i] == 0f).Select(i => (long)i).ToArray();
            var shuffled = negatives;
            do
            {
                var draw = Permutation(negatives.Length);
                shuffled = draw.Select(j => shuffled[j]).ToArray();
            } while (negatives.Where((n, i) => shuffled[i] == n).Any());
            for (var i = 0; i < negatives.Length; i++)
                videos[negatives[i]] = shuffled[i];
        }
        return new MatchingPairs(T.FromArray(labels, batch), T.FromArray(videos, batch));
    }

    private static long[] Permutation(long n)
    {
        using var scope = new TensorScope();
        return T.Randperm(n).ToArray<long>();
    }

    private (Tensor Qa, Tensor Ka, Tensor Va, Tensor Qv, Tensor Kv, Tensor Vv) Project(Tensor audio, Tensor video)
    {
        var a = NormA.Forward(audio);
        var v = NormV.Forward(video);
        return (Split(AudioQuery.Forward(a)), Split(AudioKey.Forward(a)), Split(AudioValue.Forward(a)),
                Split(VideoQuery.Forward(v)), Split(VideoKey.Forward(v)), Split(VideoValue.Forward(v)));
    }

    // [B, N, D] → [B, H, N, Dh]
    private Tensor Split(Tensor x) => x.Reshape(x.Shape[0], x.Shape[1], Heads, Dim / Heads).Transpose(1, 2);

    private Tensor Merge(Tensor x) => x.Transpose(1, 2).Reshape(x.Shape[0], x.Shape[2], Dim);

    // Audio attends to video and video to audio (softmax at scale 1, no temperature); the head reads [mean video; mean audio].
    private Tensor Match(Tensor a2v, Tensor v2a, Tensor va, Tensor vv)
    {
        var attendedAudio = Merge(a2v.Softmax(-1).Matmul(vv));           // [B, Na, D]
        var attendedVideo = Merge(v2a.Softmax(-1).Matmul(va));           // [B, Nv, D]
        var joint = T.Cat([attendedVideo.Mean(1), attendedAudio.Mean(1)], dim: 1);  // [B, 2D]
        return Head.Forward(joint).Squeeze(-1);                            // [B]
    }

    private void Check(Tensor audio, Tensor video)
    {
        if (audio.Dim != 3 || video.Dim != 3 || audio.Shape[0] != video.Shape[0] || audio.Shape[2] != Dim || video.Shape[2] != Dim)
            throw new ArgumentException($"av_matching: expected audio [B, Na, {Dim}] and video [B, Nv, {Dim}], got {audio.Describe()} and {video.Describe()}.");
    }
}
