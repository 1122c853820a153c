using AvDsl.Runtime.Evaluation;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>Retrieval ranks and scores against cases whose answer is known in closed form.</summary>
public class RetrievalTests
{
    [Fact]
    public void Pairs_that_are_each_others_nearest_rank_first()
    {
        // Clip i's two embeddings are the same basis vector: every query finds its own pair first.
        var e = Embeddings(4, 4, (i, k) => i == k ? 1f : 0f);
        Assert.Equal([1, 1, 1, 1], Retrieval.Ranks(e, e));
        var scores = Retrieval.Score(Retrieval.Ranks(e, e));
        Assert.Equal(new RetrievalScores(1, 1, 1, 1, 1, 4), scores);
    }

    [Fact]
    public void Ranks_follow_cosine_similarity_not_length()
    {
        // Unit queries at 0, 40, 80 and 120 degrees; the gallery at 10, 75, 200 and 115 degrees, each scaled differently
        // (cosine ignores length). Angular distance from query i to its own pair, and how many others are nearer:
        // q0: 10 (none nearer) -> 1; q1: 35 (g0 at 30) -> 2; q2: 120 (g0 70, g1 5, g3 35) -> 4; q3: 5 -> 1.
        double[] query = [0, 40, 80, 120], gallery = [10, 75, 200, 115];
        var q = Embeddings(4, 2, (i, k) => Direction(query[i], k));
        var g = Embeddings(4, 2, (i, k) => (i + 1) * 0.7f * Direction(gallery[i], k));
        Assert.Equal([1, 2, 4, 1], Retrieval.Ranks(q, g));
        // The other way round, checked against ranking by angle.
        Assert.Equal(Reference(g, q), Retrieval.Ranks(g, q));
    }

    [Fact]
    public void A_collapsed_model_ranks_every_pair_last()
    {
        var same = Embeddings(5, 3, (_, k) => k + 1f);
        Assert.All(Retrieval.Ranks(same, same), r => Assert.Equal(5, r));
    }

    [Fact]
    public void Scores_are_shares_within_k_and_the_median_rank()
    {
        int[] ranks = [1, 3, 6, 12, 2, 9];
        var s = Retrieval.Score(ranks);
        Assert.Equal(1 / 6.0, s.R1, 12);
        Assert.Equal(3 / 6.0, s.R5, 12);
        Assert.Equal(5 / 6.0, s.R10, 12);
        Assert.Equal((3 + 6) / 2.0, s.MedianRank); // sorted 1 2 3 6 9 12: the mean of the middle two, as numpy's median
        Assert.Equal(33 / 6.0, s.MeanRank, 12);
        Assert.Equal(5, Retrieval.Score([4, 6, 5]).MedianRank);
    }

    [Fact]
    public void Same_class_at_one_asks_only_whether_the_nearest_item_shares_the_label()
    {
        // Query i's nearest gallery item is item (i + 1) % 4 (a cyclic shift); labels 0 0 1 1: queries 0 and 2 land on
        // their class (items 1 and 3), queries 1 and 3 do not (items 2 and 0).
        var q = Embeddings(4, 4, (i, k) => i == k ? 1f : 0f) with { Labels = [0, 0, 1, 1] };
        var g = Embeddings(4, 4, (i, k) => k == (i + 3) % 4 ? 1f : 0f) with { Labels = [0, 0, 1, 1] };
        Assert.Equal([1, 2, 3, 0], Retrieval.Nearest(q, g));
        var scores = Retrieval.Run(q, g);
        Assert.Equal(0.0, scores.R1);
        Assert.Equal(0.5, scores.SameClassR1);
        Assert.Equal(0.25, scores.LargestHub); // every query has a nearest of its own
    }

    [Fact]
    public void A_gallery_item_that_is_everyones_nearest_is_a_hub()
    {
        // Queries are basis vectors e0..e3 (of 5 dimensions). Gallery item 2 is (1, 1, 1, 1, 0): cosine 0.5 with every query.
        // The other items are 0.3 e_j + e4: cosine 0.29 with their own query, so item 2 is everyone's nearest.
        var q = Embeddings(4, 5, (i, k) => i == k ? 1f : 0f) with { Labels = [0, 1, 2, 3] };
        var g = Embeddings(4, 5, (i, k) => i == 2 ? (k < 4 ? 1f : 0f) : k == i ? 0.3f : k == 4 ? 1f : 0f) with { Labels = [0, 1, 2, 3] };
        Assert.Equal([2, 2, 2, 2], Retrieval.Nearest(q, g));
        var scores = Retrieval.Run(q, g);
        Assert.Equal(1.0, scores.LargestHub);
        Assert.Equal(0.25, scores.R1);          // only query 2, whose own pair the hub is
        Assert.Equal(0.25, scores.SameClassR1);
    }

    [Fact]
    public void Mismatched_counts_or_widths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Retrieval.Ranks(Embeddings(3, 2, (_, _) => 1), Embeddings(4, 2, (_, _) => 1)));
        var error = Assert.Throws<ArgumentException>(() => Retrieval.Ranks(Embeddings(3, 2, (_, _) => 1), Embeddings(3, 4, (_, _) => 1)));
        Assert.Contains("2-d", error.Message);
    }

    private static float Direction(double degrees, int k) => (float)(k == 0 ? Math.Cos(degrees * Math.PI / 180) : Math.Sin(degrees * Math.PI / 180));

    /// <summary>Ranks by brute force over angles, an independent route to the same answer (no ties in the cases used).</summary>
    private static int[] Reference(ClipEmbeddings queries, ClipEmbeddings gallery)
    {
        double Angle(ClipEmbeddings e, int i) => Math.Atan2(e.Values[i * 2 + 1], e.Values[i * 2]);
        double Distance(double a, double b) => Math.Abs(Math.IEEERemainder(a - b, 2 * Math.PI));
        return Enumerable.Range(0, queries.Count).Select(i =>
            1 + Enumerable.Range(0, gallery.Count).Count(j => j != i && Distance(Angle(queries, i), Angle(gallery, j)) < Distance(Angle(queries, i), Angle(gallery, i))))
            .ToArray();
    }

    private static ClipEmbeddings Embeddings(int count, int dimension, Func<int, int, float> value)
    {
        var values = new float[count * dimension];
        for (var i = 0; i < count; i++)
            for (var k = 0; k < dimension; k++)
                values[i * dimension + k] = value(i, k);
        return new ClipEmbeddings(values, count, dimension, new long[count]);
    }
}
