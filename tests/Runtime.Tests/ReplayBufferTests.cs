using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;
using AvDsl.Runtime.Training;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>The reservoir rule, sampling, clearing and what <see cref="ReplayBuffer.Add(IReadOnlyDictionary{string, Tensor})"/> accepts.</summary>
public sealed class ReplayBufferTests
{
    private const string Identity = "ReplayTest@sha256:0123456789abcdef";

    [Fact]
    public void The_first_capacity_samples_are_all_kept_in_the_order_offered()
    {
        using var buffer = new ReplayBuffer(capacity: 7, seed: 3, Identity);
        using var scope = new TensorScope();
        buffer.Add(NumberedSamples.From(0, 3));
        buffer.Add(NumberedSamples.From(3, 3));
        buffer.Add(NumberedSamples.From(6, 1));

        Assert.Equal(7, buffer.Count);
        Assert.Equal(7, buffer.Seen);
        using var contents = buffer.Contents();
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6], NumberedSamples.Ids(contents));
        NumberedSamples.AssertRowsBelongTogether(contents);
    }

    [Fact]
    public void A_full_buffer_keeps_its_size_and_counts_every_sample_offered()
    {
        using var buffer = new ReplayBuffer(capacity: 5, seed: 3, Identity);
        using var scope = new TensorScope();
        for (var first = 0; first < 200; first += 8)
            buffer.Add(NumberedSamples.From(first, 8));

        Assert.Equal(5, buffer.Count);
        Assert.Equal(200, buffer.Seen);
        using var contents = buffer.Contents();
        var ids = NumberedSamples.Ids(contents);
        Assert.Equal(5, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 0, 199));
        NumberedSamples.AssertRowsBelongTogether(contents);
    }

    /// <summary>
    /// Algorithm R's promise: after N samples each is held with probability p = capacity / N, whatever its position.
    /// R buffers with different seeds each see N = 100 numbered samples (capacity 10, batches of 10); X_i counts the
    /// buffers holding sample i, Binomial(R, p) if the rule is right. Three checks, each a bound a correct reservoir
    /// exceeds with probability below 1e-4 (normal approximation, R·p = 500):
    /// every X_i within 5σ of R·p (Bonferroni: 100 × 5.7e-7); each block of 10 consecutive samples within 4.5σ of its
    /// expected total (10 × 6.8e-6; a uniform 10-subset makes two samples' indicators covary by −p(1−p)/(N−1)), which
    /// catches a bias by position — an off-by-one in the bound (j in [0, i) instead of [0, i]) holds the first 10
    /// samples with probability 1/11 instead of 1/10 and puts their block 7σ low; and the sum of squared standardised
    /// deviations, ≈ N/(N−1) · χ²(N−1), below its 1 − 3.4e-6 quantile (Wilson–Hilferty, z = 4.5).
    /// </summary>
    [Fact]
    public void Each_sample_is_held_with_probability_capacity_over_seen_whatever_its_position()
    {
        const int capacity = 10, offered = 100, repeats = 5000, block = 10;
        const double p = (double)capacity / offered;
        var held = new int[offered];
        for (var seed = 0; seed < repeats; seed++)
        {
            using var buffer = new ReplayBuffer(capacity, seed, Identity);
            using var scope = new TensorScope();
            for (var first = 0; first < offered; first += 10)
                buffer.Add(NumberedSamples.IdsOnly(first, 10));
            var ids = buffer.Contents()["id"].ToArray<long>();
            Assert.Equal(capacity, ids.Distinct().Count());
            foreach (var id in ids)
                held[id]++;
        }

        var mean = repeats * p;
        var variance = repeats * p * (1 - p);
        var worst = held.Select((x, i) => (Sample: i, Held: x, Z: (x - mean) / Math.Sqrt(variance))).MaxBy(s => Math.Abs(s.Z));
        Assert.True(Math.Abs(worst.Z) <= 5, $"sample {worst.Sample} was held {worst.Held} times of {repeats}, expected {mean} ± {Math.Sqrt(variance):F1} ({worst.Z:F2}σ)");

        var blockVariance = repeats * block * p * (1 - p) * (1 - (block - 1.0) / (offered - 1));
        for (var start = 0; start < offered; start += block)
        {
            var total = held.Skip(start).Take(block).Sum();
            var z = (total - block * mean) / Math.Sqrt(blockVariance);
            Assert.True(Math.Abs(z) <= 4.5, $"samples {start}..{start + block - 1} were held {total} times, expected {block * mean} ({z:F2}σ)");
        }

        var statistic = held.Sum(x => (x - mean) * (x - mean) / variance);
        var h = 2 / (9 * (offered - 1.0));
        var bound = offered * Math.Pow(1 - h + 4.5 * Math.Sqrt(h), 3); // N/(N−1) · (N−1)(1 − h + z√h)³
        Assert.True(statistic <= bound, $"the squared standardised deviations add up to {statistic:F1}, above {bound:F1} (expected about {offered})");
    }

    [Fact]
    public void The_same_seed_keeps_and_draws_the_same_samples_and_another_seed_does_not()
    {
        (long[] Held, long[] Drawn, float[] Features) Run(long seed)
        {
            using var buffer = new ReplayBuffer(capacity: 8, seed, Identity);
            using var scope = new TensorScope();
            var drawn = new List<long>();
            for (var first = 0; first < 120; first += 6)
            {
                using (var replay = buffer.Sample(4))
                    drawn.AddRange(replay.IsEmpty ? Array.Empty<long>() : NumberedSamples.Ids(replay));
                buffer.Add(NumberedSamples.From(first, 6));
            }
            using var contents = buffer.Contents();
            return (NumberedSamples.Ids(contents), drawn.ToArray(), contents["feature"].ToArray<float>());
        }

        var first = Run(11);
        var again = Run(11);
        Assert.Equal(first.Held, again.Held);
        Assert.Equal(first.Drawn, again.Drawn);
        Assert.Equal(first.Features, again.Features);
        var other = Run(12);
        Assert.NotEqual(first.Held, other.Held);
    }

    [Fact]
    public void How_often_it_is_sampled_does_not_change_what_it_keeps()
    {
        long[] Held(int replayBatch)
        {
            using var buffer = new ReplayBuffer(capacity: 8, seed: 5, Identity);
            using var scope = new TensorScope();
            for (var first = 0; first < 120; first += 6)
            {
                buffer.Sample(replayBatch).Dispose();
                buffer.Add(NumberedSamples.From(first, 6));
            }
            return buffer.Contents()["id"].ToArray<long>();
        }

        Assert.Equal(Held(0), Held(5));
    }

    [Fact]
    public void Sample_draws_distinct_held_samples_never_more_than_held()
    {
        using var buffer = new ReplayBuffer(capacity: 20, seed: 9, Identity);
        using var scope = new TensorScope();
        for (var first = 0; first < 100; first += 10)
            buffer.Add(NumberedSamples.From(first, 10));
        var held = buffer.Contents()["id"].ToArray<long>().ToHashSet();

        foreach (var n in new[] { 1, 2, 7, 19, 20, 21, 64 })
            for (var repeat = 0; repeat < 40; repeat++)
            {
                using var replay = buffer.Sample(n);
                var ids = NumberedSamples.Ids(replay);
                Assert.Equal(Math.Min(n, 20), replay.Count);
                Assert.Equal(ids.Length, ids.Distinct().Count());
                Assert.Equal(replay.Slots.Count, replay.Slots.Distinct().Count());
                Assert.Subset(held, ids.ToHashSet());
                NumberedSamples.AssertRowsBelongTogether(replay);
            }
        Assert.Equal(0, buffer.Sample(0).Count);
    }

    /// <summary>Each of 10 rows is drawn by Sample(3) with probability 3/10; over 6,000 draws every row's count stays
    /// within 5σ of 1,800 (σ ≈ 35.5; Bonferroni over 10 rows: below 6e-6 for a uniform draw).</summary>
    [Fact]
    public void Sample_draws_every_held_row_equally_often()
    {
        using var buffer = new ReplayBuffer(capacity: 10, seed: 21, Identity);
        using (new TensorScope())
            buffer.Add(NumberedSamples.IdsOnly(0, 10));
        var drawn = new int[10];
        const int draws = 6000;
        for (var i = 0; i < draws; i++)
        {
            using var scope = new TensorScope();
            foreach (var slot in buffer.Sample(3).Slots)
                drawn[slot]++;
        }
        var mean = draws * 0.3;
        var sigma = Math.Sqrt(draws * 0.3 * 0.7);
        Assert.All(drawn, count => Assert.InRange(count, mean - 5 * sigma, mean + 5 * sigma));
    }

    [Fact]
    public void An_empty_buffer_that_never_knew_its_fields_gives_an_explicit_empty_sample()
    {
        using var buffer = new ReplayBuffer(capacity: 4, seed: 1, Identity);
        using var replay = buffer.Sample(8);

        Assert.True(replay.IsEmpty);
        Assert.Equal(0, replay.Count);
        Assert.Empty(replay.Fields);
        var error = Assert.Throws<InvalidOperationException>(() => replay["audio"]);
        Assert.Contains("IsEmpty", error.Message);
        Assert.True(buffer.IsEmpty);
        Assert.Empty(buffer.Fields);
    }

    [Fact]
    public void An_empty_buffer_whose_fields_are_known_gives_batch_0_tensors_of_their_shapes()
    {
        using var scope = new TensorScope();
        using var declared = new ReplayBuffer(capacity: 4, seed: 1, Identity, NumberedSamples.Fields);
        using (var replay = declared.Sample(8))
        {
            Assert.True(replay.IsEmpty);
            Assert.Equal([0L, 2, 3], replay["feature"].Shape);
            Assert.Equal([0L], replay["id"].Shape);
            Assert.Equal(DType.Int64, replay["id"].DType);
        }

        using var cleared = new ReplayBuffer(capacity: 4, seed: 1, Identity);
        cleared.Add(NumberedSamples.From(0, 3));
        cleared.Clear();
        using (var replay = cleared.Sample(8))
        {
            Assert.True(replay.IsEmpty);
            Assert.Equal([0L, 2, 3], replay["feature"].Shape);
            Assert.Equal(DType.Float32, replay["feature"].DType);
        }
        Assert.Equal(NumberedSamples.Fields, cleared.Fields);
    }

    [Fact]
    public void Clear_empties_the_buffer_and_the_next_samples_fill_it_as_a_fresh_reservoir()
    {
        using var buffer = new ReplayBuffer(capacity: 6, seed: 2, Identity);
        using var scope = new TensorScope();
        buffer.Add(NumberedSamples.From(0, 50));
        buffer.Clear();

        Assert.Equal(0, buffer.Count);
        Assert.Equal(0, buffer.Seen);
        Assert.True(buffer.IsEmpty);
        Assert.Equal(0, buffer.Contents().Count);

        buffer.Add(NumberedSamples.From(1000, 4));
        buffer.Add(NumberedSamples.From(1004, 2));
        using var contents = buffer.Contents();
        Assert.Equal([1000L, 1001, 1002, 1003, 1004, 1005], NumberedSamples.Ids(contents));
        NumberedSamples.AssertRowsBelongTogether(contents);
    }

    [Fact]
    public void A_buffer_of_size_0_keeps_nothing_but_counts_what_it_saw()
    {
        using var buffer = new ReplayBuffer(capacity: 0, seed: 2, Identity);
        using var scope = new TensorScope();
        buffer.Add(NumberedSamples.From(0, 5));

        Assert.Equal(0, buffer.Count);
        Assert.Equal(5, buffer.Seen);
        using var replay = buffer.Sample(3);
        Assert.True(replay.IsEmpty);
        Assert.Equal([0L, 2, 3], replay["feature"].Shape);
    }

    [Fact]
    public void It_stores_a_detached_copy_that_later_changes_to_the_source_do_not_reach()
    {
        using var buffer = new ReplayBuffer(capacity: 4, seed: 2, Identity);
        using var weight = T.Ones(3); // before the scope opens: the test owns it
        weight.RequiresGrad = true;
        using var scope = new TensorScope();
        var output = T.Ones(2, 3) * weight; // requires grad, as a model output does
        buffer.Add(new Dictionary<string, Tensor> { ["output"] = output });
        output.Detach().Fill_(7);

        using var contents = buffer.Contents();
        Assert.False(contents["output"].RequiresGrad);
        Assert.All(contents["output"].ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Add_takes_a_batch_with_the_outputs_to_remember_and_refuses_an_output_named_like_an_input()
    {
        using var buffer = new ReplayBuffer(capacity: 4, seed: 2, Identity);
        using var scope = new TensorScope();
        var batch = new Batch(NumberedSamples.From(0, 2));
        buffer.Add(batch, new Dictionary<string, Tensor> { ["embedding"] = T.Ones(2, 5) });

        Assert.Equal(["embedding", "feature", "id"], buffer.Fields.Select(f => f.Name));
        using var contents = buffer.Contents();
        NumberedSamples.AssertRowsBelongTogether(contents);
        var error = Assert.Throws<ArgumentException>(() => buffer.Add(batch, new Dictionary<string, Tensor> { ["id"] = T.Ones(2) }));
        Assert.Contains("'id'", error.Message);
        Assert.Equal(2, buffer.Seen);
    }

    [Fact]
    public void Add_refuses_samples_that_do_not_fit_the_fields_and_changes_nothing()
    {
        using var buffer = new ReplayBuffer(capacity: 4, seed: 2, Identity);
        using var scope = new TensorScope();
        buffer.Add(NumberedSamples.From(0, 2));

        var missing = Assert.Throws<ArgumentException>(() => buffer.Add(new Dictionary<string, Tensor> { ["id"] = T.Arange(2) }));
        Assert.Contains("feature: Float32[2, 3]", missing.Message);
        var reshaped = NumberedSamples.From(2, 2);
        reshaped["feature"] = T.Zeros(2, 6);
        Assert.Throws<ArgumentException>(() => buffer.Add(reshaped));
        var retyped = NumberedSamples.From(2, 2);
        retyped["feature"] = retyped["feature"].To(DType.Float64);
        Assert.Throws<ArgumentException>(() => buffer.Add(retyped));
        var uneven = NumberedSamples.From(2, 2);
        uneven["id"] = T.Arange(3);
        var error = Assert.Throws<ArgumentException>(() => buffer.Add(uneven));
        Assert.Contains("batch size", error.Message);
        Assert.Throws<ArgumentException>(() => buffer.Add(new Dictionary<string, Tensor> { ["id"] = T.Scalar(1) }));

        Assert.Equal(2, buffer.Seen);
        Assert.Equal([0L, 1], NumberedSamples.Ids(buffer.Contents()));
    }

    [Fact]
    public void Adding_and_sampling_inside_a_step_scope_leaves_no_tensor_behind()
    {
        using var buffer = new ReplayBuffer(capacity: 6, seed: 2, Identity, NumberedSamples.Fields);
        var before = Tensor.LiveCount;
        for (var step = 0; step < 10; step++)
        {
            using var scope = new TensorScope();
            var replay = buffer.Sample(4);
            using var batch = replay.ToBatch();
            _ = batch["feature"].Sum();
            buffer.Add(NumberedSamples.From(step * 4, 4));
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void IdentityFor_names_the_spec_and_hashes_its_resolved_text()
    {
        var identity = ReplayBuffer.IdentityFor("StellaTiny", "spec StellaTiny { }");
        Assert.Matches("^StellaTiny@sha256:[0-9a-f]{16}$", identity);
        Assert.Equal(identity, ReplayBuffer.IdentityFor("StellaTiny", "spec StellaTiny { }"));
        Assert.NotEqual(identity, ReplayBuffer.IdentityFor("StellaTiny", "spec StellaTiny { size = 2 }"));
    }
}

/// <summary>Batches of numbered samples: <c>id</c> [B] (int64) and <c>feature</c> [B, 2, 3] = 8·id + 0..5, so that a
/// row's feature says which sample it belongs to.</summary>
internal static class NumberedSamples
{
    public static readonly ReplayField[] Fields = [new("feature", DType.Float32, [2, 3]), new("id", DType.Int64, [])];

    public static Dictionary<string, Tensor> From(long first, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => first + i).ToArray();
        var features = ids.SelectMany(id => Enumerable.Range(0, 6).Select(k => (float)(8 * id + k))).ToArray();
        return new Dictionary<string, Tensor> { ["id"] = T.FromArray(ids), ["feature"] = T.FromArray(features, count, 2, 3) };
    }

    public static Dictionary<string, Tensor> IdsOnly(long first, int count) =>
        new() { ["id"] = T.FromArray(Enumerable.Range(0, count).Select(i => first + i).ToArray()) };

    public static long[] Ids(ReplaySample sample) => sample["id"].ToArray<long>();

    public static void AssertRowsBelongTogether(ReplaySample sample)
    {
        var ids = Ids(sample);
        var features = sample["feature"].ToArray<float>();
        for (var row = 0; row < ids.Length; row++)
            for (var k = 0; k < 6; k++)
                Assert.Equal(8 * ids[row] + k, features[6 * row + k]);
    }
}
