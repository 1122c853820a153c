using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Selection;

/// <summary>
/// STELLA's probabilistic patch selection. Of N patches it keeps K = ⌊N·keep⌋; of those E = ⌊N·encode⌋, drawn uniformly,
/// go to the encoder and the other K − E are reconstruction targets; the rest reach neither encoder nor decoder, which
/// is where STELLA saves memory. Which K: with no past (an empty buffer) the K most important; otherwise each patch is
/// pruned with its correlation probability r and the rest are ordered by multinomial sampling on importance without
/// replacement. With <c>chunk</c> or <c>bands</c> above 1 (audio: tokens time-major, <c>bands</c> frequency patches per
/// time step), the sampled units are chunks of <c>chunk</c> time steps scored by importance summed over bands and
/// averaged over the chunk's steps; chunks are taken whole, less their pruned patches, and the last one is cut to fit K
/// on the side away from an already taken neighbour (a fair coin from the seeded generator when neither or both are).
/// If pruning leaves fewer than K patches, pruned ones fill up, the most likely first. Randomness: the default generator,
/// drawn in the order bernoulli(r), multinomial, [one coin per clip for chunks], then uniform noise for the split.
/// </summary>
[Constraint("0 < encode < keep <= 1", "encode (the encoder's share) must be positive and below keep (the kept share), keep at most 1")]
[Constraint("chunk >= 1 and bands >= 1", "chunk (time steps per chunk) and bands (patches per time step) are at least 1")]
[Component("select_patches")]
public sealed class PatchSelector : Module
{
    public PatchSelector(double keep = 0.5, double encode = 0.2, int chunk = 1, int bands = 1)
    {
        if (!(encode > 0 && encode < keep && keep <= 1))
            throw new ArgumentOutOfRangeException(nameof(encode), $"select_patches: need 0 < encode < keep ≤ 1, got encode {encode} and keep {keep}.");
        if (chunk < 1 || bands < 1)
            throw new ArgumentOutOfRangeException(nameof(chunk), $"select_patches: chunk and bands must be at least 1, got {chunk} and {bands}.");
        Keep = keep;
        Encode = encode;
        Chunk = chunk;
        Bands = bands;
    }

    public double Keep { get; }
    public double Encode { get; }
    public int Chunk { get; }
    public int Bands { get; }

    /// <summary>Patches kept (encoded or reconstructed) out of <paramref name="tokens"/>.</summary>
    public long KeptCount(long tokens) => (long)(tokens * Keep);

    /// <summary>Patches encoded out of <paramref name="tokens"/>.</summary>
    public long EncodedCount(long tokens) => (long)(tokens * Encode);

    /// <summary>tokens [B, N, D], importance [B, N], correlation with the past → the encoder's tokens and where the targets are.</summary>
    [Constraint("N % (chunk * bands) == 0", "the patches must divide into whole chunks of chunk × bands")]
    [Constraint("N * encode >= 1", "at least one patch must reach the encoder")]
    [Shape("tokens: [B, N, D], importance: [B, N], correlation.probability: [B, N] -> visible: [B, E, D], visible_indices: [B, E], " +
           "target_indices: [B, T], masked: [B, N], dropped: [B, N]")]
    public PatchSelection Forward(Tensor tokens, Tensor importance, PatchCorrelation correlation)
    {
        var shape = tokens.Shape;
        if (shape.Length != 3 || !importance.Shape.AsSpan().SequenceEqual([shape[0], shape[1]]) ||
            !correlation.Probability.Shape.AsSpan().SequenceEqual([shape[0], shape[1]]))
            throw new ArgumentException(
                $"select_patches: expected tokens [B, N, D], importance [B, N] and correlation [B, N], got {tokens.Describe()}, {importance.Describe()} and {correlation.Probability.Describe()}.");
        var (batch, count, dim) = (shape[0], shape[1], shape[2]);
        if (count % ((long)Chunk * Bands) != 0)
            throw new ArgumentException($"select_patches: {count} patches do not divide into chunks of {Chunk} time steps × {Bands} bands.");
        var (kept, encoded) = (KeptCount(count), EncodedCount(count));
        if (encoded < 1)
            throw new ArgumentException($"select_patches: encode {Encode} of {count} patches leaves none for the encoder.");

        using var scope = new TensorScope();
        Tensor visibleIndices, targetIndices, masked, dropped;
        using (T.NoGrad())
        {
            var chosen = !correlation.Past
                ? importance.Argsort(1, descending: true).Narrow(1, 0, kept)
                : Chunk == 1 && Bands == 1
                    ? SampleRandom.Multinomial(importance.MaskedFill(SampleRandom.Bernoulli(correlation.Probability).Gt(0.5), 0.0), count).Narrow(1, 0, kept)
                    : SampleChunks(importance, correlation.Probability, kept);                       // [B, K]
            var split = SampleRandom.Uniform([batch, kept], tokens.Device).Argsort(1);                 // [B, K] uniform order
            var shuffled = chosen.Gather(1, split);
            visibleIndices = shuffled.Narrow(1, 0, encoded);                                            // [B, E]
            targetIndices = shuffled.Narrow(1, encoded, kept - encoded);                                // [B, T]
            masked = Mark(targetIndices, batch, count, tokens.Device);
            dropped = Mark(chosen, batch, count, tokens.Device).LogicalNot();
        }
        var visible = tokens.Gather(1, visibleIndices.Unsqueeze(-1).Expand(batch, encoded, dim));    // [B, E, D]
        return new PatchSelection(scope.MoveToOuter(visible), scope.MoveToOuter(visibleIndices), scope.MoveToOuter(targetIndices),
            scope.MoveToOuter(masked), scope.MoveToOuter(dropped));
    }

    // True at the given positions: [B, K] → Bool [B, N].
    private static Tensor Mark(Tensor indices, long batch, long count, Device device) =>
        T.Zeros([batch, count], DType.Float32, device).Scatter(1, indices, T.OnesLike(indices).To(DType.Float32)).Gt(0.5);

    private Tensor SampleChunks(Tensor importance, Tensor probability, long kept)
    {
        var (batch, count) = (importance.Shape[0], importance.Shape[1]);
        var steps = count / Bands;
        var chunks = steps / Chunk;
        var size = (long)Chunk * Bands;                                    // a chunk's patches, contiguous in time-major order
        var pruned = SampleRandom.Bernoulli(probability).ToArray<float>(); // [B·N]
        var scores = importance.Reshape(batch, steps, Bands).Sum(-1)      // [B, steps] summed over bands
            .Reshape(batch, chunks, Chunk).Mean(-1);                       // [B, chunks] averaged over the chunk's steps
        var order = SampleRandom.Multinomial(scores, chunks).ToArray<long>(); // [B·chunks] most likely first
        var coins = SampleRandom.Uniform([batch], importance.Device).ToArray<float>();

        var result = new long[batch * kept];
        for (var b = 0; b < batch; b++)
        {
            var row = new List<long>((int)kept);
            var leftovers = new List<long>();
            var taken = new HashSet<long>();
            var budget = kept;
            for (var t = 0; t < chunks; t++)
            {
                var c = order[b * chunks + t];
                var free = new List<long>();
                for (var p = c * size; p < (c + 1) * size; p++)
                    (pruned[b * count + p] > 0.5f || budget == 0 ? leftovers : free).Add(p);
                if (free.Count > budget)
                {
                    // Cut the chunk on the side away from a neighbour already taken, so that kept time stays contiguous.
                    var (before, after) = (taken.Contains(c - 1), taken.Contains(c + 1));
                    var keepStart = before != after ? before : coins[b] < 0.5f;
                    var cut = keepStart ? free.Take((int)budget).ToList() : free.Skip(free.Count - (int)budget).ToList();
                    leftovers.AddRange(free.Except(cut));
                    free = cut;
                }
                row.AddRange(free);
                budget -= free.Count;
                taken.Add(c);
            }
            row.AddRange(leftovers.Take((int)(kept - row.Count)));
            Array.Copy(row.ToArray(), 0, result, b * kept, kept);
        }
        return T.FromArray(result, batch, kept).To(importance.Device);
    }
}
