using AvDsl.Runtime.Selection;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Selection;

/// <summary>Probabilistic selection: the reference's draws under one seed, and the properties that hold for every seed.</summary>
public sealed class PatchSelectorTests
{
    private static long Seed(Golden golden) => long.Parse(golden.Metadata["seed"], System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(false, "top")]
    [InlineData(true, "past")]
    public void Video_selection_draws_what_the_reference_draws_under_the_same_seed(bool past, string key)
    {
        using var golden = new Golden("stella_selection");
        using var scope = new TensorScope();
        using var selector = new PatchSelector(keep: 0.5, encode: 0.2);
        T.ManualSeed(Seed(golden));
        var selection = selector.Forward(golden["tokens"], golden["importance"], new PatchCorrelation(golden["probability"], past));

        Assert.Equal(golden[key + ".visible_indices"].ToArray<long>(), selection.VisibleIndices.ToArray<long>());
        Assert.Equal(golden[key + ".target_indices"].ToArray<long>(), selection.TargetIndices.ToArray<long>());
        var expected = golden["tokens"].Gather(1, golden[key + ".visible_indices"].Unsqueeze(-1).Expand(-1, -1, 4));
        Assert.Equal(expected.ToArray<float>(), selection.Visible.ToArray<float>());
    }

    [Fact]
    public void Audio_selection_in_chunks_draws_what_the_reference_draws_under_the_same_seed()
    {
        using var golden = new Golden("stella_selection");
        using var scope = new TensorScope();
        using var selector = new PatchSelector(keep: 0.375, encode: 0.2, chunk: 2, bands: 4);
        var tokens = T.Randn(3, 64, 2);
        T.ManualSeed(Seed(golden));
        var selection = selector.Forward(tokens, golden["audio.importance"], new PatchCorrelation(golden["audio.probability"], Past: true));

        Assert.Equal(golden["chunk.visible_indices"].ToArray<long>(), selection.VisibleIndices.ToArray<long>());
        Assert.Equal(golden["chunk.target_indices"].ToArray<long>(), selection.TargetIndices.ToArray<long>());
    }

    [Theory]
    [InlineData(784, 0.5, 0.2, 156, 236)]   // STELLA's video: 156 encoded, 236 targets
    [InlineData(512, 0.5, 0.2, 102, 154)]   // and audio
    [InlineData(20, 0.5, 0.2, 4, 6)]
    public void Keeps_the_paper_s_counts(int n, double keep, double encode, long encoded, long targets)
    {
        var selector = new PatchSelector(keep, encode);
        Assert.Equal(encoded, selector.EncodedCount(n));
        Assert.Equal(targets, selector.KeptCount(n) - selector.EncodedCount(n));
    }

    [Theory]
    [InlineData(false, 1, 1)]
    [InlineData(true, 1, 1)]
    [InlineData(true, 4, 8)]
    public void Visible_targets_and_dropped_partition_the_patches_in_the_right_counts_for_every_seed(bool past, int chunk, int bands)
    {
        using var scope = new TensorScope();
        const int batch = 4, n = 256, dim = 3;
        using var selector = new PatchSelector(keep: 0.5, encode: 0.2, chunk: chunk, bands: bands);
        for (var seed = 0; seed < 10; seed++)
        {
            using var step = new TensorScope();
            T.ManualSeed(seed);
            var tokens = T.Randn(batch, n, dim);
            var importance = T.Randn(batch, n).Softmax(1);
            var probability = T.Rand(batch, n) * 0.7;
            var selection = selector.Forward(tokens, importance, new PatchCorrelation(probability, past));

            Assert.Equal(new long[] { batch, 51 }, selection.VisibleIndices.Shape);
            Assert.Equal(new long[] { batch, 128 - 51 }, selection.TargetIndices.Shape);
            Assert.Equal(new long[] { batch, 51, dim }, selection.Visible.Shape);
            var visible = selection.VisibleIndices.ToArray<long>();
            var targets = selection.TargetIndices.ToArray<long>();
            var masked = selection.Masked.ToArray<bool>();
            var dropped = selection.Dropped.ToArray<bool>();
            for (var b = 0; b < batch; b++)
            {
                var v = visible.Skip(b * 51).Take(51).ToHashSet();
                var t = targets.Skip(b * 77).Take(77).ToHashSet();
                Assert.Equal(51, v.Count);
                Assert.Equal(77, t.Count);
                Assert.Empty(v.Intersect(t));
                for (var p = 0; p < n; p++)
                {
                    Assert.Equal(t.Contains(p), masked[b * n + p]);
                    Assert.Equal(!v.Contains(p) && !t.Contains(p), dropped[b * n + p]);
                }
            }
        }
    }

    [Fact]
    public void Without_a_past_the_most_important_patches_are_kept()
    {
        using var scope = new TensorScope();
        T.ManualSeed(1);
        var importance = T.Randn(2, 40).Softmax(1);
        using var selector = new PatchSelector(keep: 0.5, encode: 0.2);
        var selection = selector.Forward(T.Randn(2, 40, 2), importance, new PatchCorrelation(T.Ones(2, 40), Past: false));

        var top = importance.Topk(20, 1).Indices.ToArray<long>();
        var kept = T.Cat([selection.VisibleIndices, selection.TargetIndices], 1).ToArray<long>();
        for (var b = 0; b < 2; b++)
            Assert.Equal(top.Skip(b * 20).Take(20).Order(), kept.Skip(b * 20).Take(20).Order());
    }

    [Fact]
    public void Patches_correlated_for_sure_are_pruned_and_uncorrelated_ones_never()
    {
        using var scope = new TensorScope();
        T.ManualSeed(2);
        const int n = 40;
        var importance = T.Randn(3, n).Softmax(1);
        // r = 1 on the first 15 patches (always pruned), 0 elsewhere: the 20 kept come from the other 25.
        var probability = T.Cat([T.Ones(3, 15), T.Zeros(3, n - 15)], 1);
        using var selector = new PatchSelector(keep: 0.5, encode: 0.2);
        for (var seed = 0; seed < 10; seed++)
        {
            T.ManualSeed(seed);
            var selection = selector.Forward(T.Randn(3, n, 2), importance, new PatchCorrelation(probability, Past: true));
            var kept = T.Cat([selection.VisibleIndices, selection.TargetIndices], 1).ToArray<long>();
            Assert.All(kept, p => Assert.True(p >= 15, $"seed {seed}: pruned patch {p} was kept"));
        }
    }

    [Fact]
    public void Replayed_clips_are_pruned_with_the_probabilities_stored_with_them()
    {
        using var scope = new TensorScope();
        const int n = 40;
        var importance = T.Randn(4, n).Softmax(1);
        // Two current clips with r = 0 everywhere, two replayed clips stored with r = 1 on their first 15 patches.
        var current = new PatchCorrelation(T.Zeros(2, n), Past: true);
        var both = Correlations.ConcatCorrelation(current, T.Cat([T.Ones(2, 15), T.Zeros(2, n - 15)], 1));
        Assert.Equal([4L, n], both.Probability.Shape);
        Assert.True(both.Past);
        using var selector = new PatchSelector(keep: 0.5, encode: 0.2);
        var currentKeptEarly = 0;
        for (var seed = 0; seed < 10; seed++)
        {
            T.ManualSeed(seed);
            var selection = selector.Forward(T.Randn(4, n, 2), importance, both);
            var kept = T.Cat([selection.VisibleIndices, selection.TargetIndices], 1).ToArray<long>();
            Assert.All(kept[40..], p => Assert.True(p >= 15, $"seed {seed}: a replayed clip kept its pruned patch {p}"));
            currentKeptEarly += kept[..40].Count(p => p < 15);
        }
        Assert.True(currentKeptEarly > 0, "the current clips, with r = 0, never kept one of their first 15 patches");

        // Nothing replayed and no past: the batch's own correlation, still without a past.
        var alone = Correlations.ConcatCorrelation(new PatchCorrelation(T.Zeros(2, n), Past: false), T.Zeros(0, n));
        Assert.False(alone.Past);
        Assert.Equal([2L, n], alone.Probability.Shape);
        Assert.Throws<ArgumentException>(() => Correlations.ConcatCorrelation(current, T.Zeros(1, n + 1)));
    }

    [Fact]
    public void Sampling_favours_important_patches()
    {
        // One patch holds almost all the importance: multinomial ordering keeps it every time; top-k of a flat rest would not say so.
        using var scope = new TensorScope();
        var weights = Enumerable.Repeat(1e-3f, 40).ToArray();
        weights[17] = 1f;
        var importance = T.FromArray(weights, 1, 40);
        using var selector = new PatchSelector(keep: 0.25, encode: 0.1);
        var keptCount = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            T.ManualSeed(seed);
            var selection = selector.Forward(T.Randn(1, 40, 2), importance, new PatchCorrelation(T.Zeros(1, 40), Past: true));
            keptCount += T.Cat([selection.VisibleIndices, selection.TargetIndices], 1).ToArray<long>().Contains(17) ? 1 : 0;
        }
        Assert.Equal(20, keptCount);
    }

    [Fact]
    public void Audio_chunks_are_whole_without_pruning_and_contiguous_at_the_cut()
    {
        using var scope = new TensorScope();
        const int steps = 16, bands = 8, chunk = 4, n = steps * bands;  // 4 chunks of 32 patches
        using var whole = new PatchSelector(keep: 0.5, encode: 0.2, chunk: chunk, bands: bands);     // 64 = two whole chunks
        using var cut = new PatchSelector(keep: 0.4, encode: 0.2, chunk: chunk, bands: bands);       // 51 = one chunk and 19
        for (var seed = 0; seed < 10; seed++)
        {
            T.ManualSeed(seed);
            var importance = T.Rand(2, n).Softmax(1);
            var none = new PatchCorrelation(T.Zeros(2, n), Past: true);
            foreach (var (selector, count) in new[] { (whole, 64), (cut, 51) })
            {
                var selection = selector.Forward(T.Randn(2, n, 2), importance, none);
                var kept = T.Cat([selection.VisibleIndices, selection.TargetIndices], 1).ToArray<long>();
                for (var b = 0; b < 2; b++)
                {
                    var perChunk = kept.Skip(b * count).Take(count).GroupBy(p => p / (chunk * bands)).ToList();
                    var partial = perChunk.Where(g => g.Count() != chunk * bands).ToList();
                    Assert.True(partial.Count <= 1, $"seed {seed}: more than one chunk cut");
                    Assert.Equal(count / (chunk * bands), perChunk.Count(g => g.Count() == chunk * bands));
                    foreach (var g in partial)
                    {
                        // The cut chunk keeps a run at its start or its end.
                        var offsets = g.Select(p => p % (chunk * bands)).Order().ToArray();
                        Assert.True(offsets[0] == 0 || offsets[^1] == chunk * bands - 1, $"seed {seed}: cut chunk kept {string.Join(",", offsets)}");
                        Assert.Equal(offsets.Length - 1, offsets[^1] - offsets[0]);
                    }
                }
            }
        }
    }

    [Fact]
    public void The_same_seed_selects_the_same_patches_and_another_seed_others()
    {
        using var scope = new TensorScope();
        T.ManualSeed(9);
        var (tokens, importance, probability) = (T.Randn(2, 64, 3), T.Rand(2, 64).Softmax(1), T.Rand(2, 64) * 0.5);
        using var selector = new PatchSelector(chunk: 2, bands: 4);
        long[] Run(long seed)
        {
            T.ManualSeed(seed);
            var s = selector.Forward(tokens, importance, new PatchCorrelation(probability, Past: true));
            return T.Cat([s.VisibleIndices, s.TargetIndices], 1).ToArray<long>();
        }
        Assert.Equal(Run(4), Run(4));
        Assert.NotEqual(Run(4), Run(5));
    }

    [Fact]
    public void Gradients_reach_the_visible_tokens_only()
    {
        using var scope = new TensorScope();
        T.ManualSeed(3);
        var tokens = T.Randn(1, 20, 2);
        tokens.RequiresGrad = true;
        using var selector = new PatchSelector();
        var selection = selector.Forward(tokens, T.Rand(1, 20).Softmax(1), new PatchCorrelation(T.Zeros(1, 20), Past: false));
        selection.Visible.Sum().Backward();
        var touched = tokens.Grad!.Abs().Sum(-1).Gt(0).ToArray<bool>();
        var visible = selection.VisibleIndices.ToArray<long>().ToHashSet();
        for (var p = 0; p < 20; p++)
            Assert.Equal(visible.Contains(p), touched[p]);
    }

    [Fact]
    public void Refuses_patches_that_do_not_fill_whole_chunks()
    {
        using var scope = new TensorScope();
        using var selector = new PatchSelector(chunk: 4, bands: 8);
        var error = Assert.Throws<ArgumentException>(() =>
            selector.Forward(T.Randn(1, 40, 2), T.Rand(1, 40), new PatchCorrelation(T.Zeros(1, 40), Past: true)));
        Assert.Contains("chunks", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PatchSelector(keep: 0.2, encode: 0.3));
    }
}
