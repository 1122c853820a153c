namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// Zero-shot cross-modal retrieval: clip i's first embedding is the query, every clip's second embedding the gallery, and
/// the hit is clip i's own (cosine similarity). A tie counts against the query — a collapsed model whose embeddings are all
/// equal ranks every pair last, not first.
/// </summary>
public static class Retrieval
{
    /// <summary>Every score of one direction: ranks of the clip's own pair, whether the nearest item shares its class, and
    /// how many queries share their nearest item.</summary>
    public static RetrievalScores Run(ClipEmbeddings queries, ClipEmbeddings gallery)
    {
        var nearest = Nearest(queries, gallery);
        return Score(Ranks(queries, gallery)) with
        {
            SameClassR1 = SameClass(nearest, queries, gallery),
            LargestHub = nearest.GroupBy(j => j).Max(g => g.Count()) / (double)nearest.Length,
        };
    }

    /// <summary>Share of queries whose nearest gallery item has the query's label.</summary>
    private static double SameClass(int[] nearest, ClipEmbeddings queries, ClipEmbeddings gallery) =>
        nearest.Where((j, i) => gallery.Labels[j] == queries.Labels[i]).Count() / (double)nearest.Length;

    /// <summary>Per query, its most similar gallery item (the lowest index among equals).</summary>
    public static int[] Nearest(ClipEmbeddings queries, ClipEmbeddings gallery)
    {
        var similarity = Similarity(queries, gallery);
        var n = queries.Count;
        var nearest = new int[n];
        for (var i = 0; i < n; i++)
            for (var j = 1; j < n; j++)
                if (similarity[i * n + j] > similarity[i * n + nearest[i]]) nearest[i] = j;
        return nearest;
    }

    /// <summary>Per query, the 1-based rank of its own pair: 1 + the number of other gallery items at least as similar.</summary>
    public static int[] Ranks(ClipEmbeddings queries, ClipEmbeddings gallery)
    {
        var similarity = Similarity(queries, gallery);
        var n = queries.Count;
        var ranks = new int[n];
        for (var i = 0; i < n; i++)
        {
            var rank = 1;
            for (var j = 0; j < n; j++)
                if (j != i && similarity[i * n + j] >= similarity[i * n + i]) rank++;
            ranks[i] = rank;
        }
        return ranks;
    }

    /// <summary>Cosine similarity of every query with every gallery item, [N, N] row-major.</summary>
    private static double[] Similarity(ClipEmbeddings queries, ClipEmbeddings gallery)
    {
        if (queries.Count != gallery.Count)
            throw new ArgumentException($"retrieval pairs clip i with clip i: {queries.Count} queries but {gallery.Count} gallery items.");
        if (queries.Dimension != gallery.Dimension)
            throw new ArgumentException($"cosine similarity needs one width: the queries are {queries.Dimension}-d, the gallery {gallery.Dimension}-d.");
        var q = Normalised(queries);
        var g = Normalised(gallery);
        var n = queries.Count;
        var d = queries.Dimension;
        var similarity = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                double dot = 0;
                for (var k = 0; k < d; k++) dot += q[i * d + k] * g[j * d + k];
                similarity[i * n + j] = dot;
            }
        return similarity;
    }

    public static RetrievalScores Score(IReadOnlyList<int> ranks)
    {
        if (ranks.Count == 0) throw new ArgumentException("retrieval needs at least one query.", nameof(ranks));
        double Within(int k) => ranks.Count(r => r <= k) / (double)ranks.Count;
        var sorted = ranks.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
        return new RetrievalScores(Within(1), Within(5), Within(10), median, ranks.Average(), ranks.Count);
    }

    /// <summary>Rows scaled to unit length, in double; a zero row stays zero (it is then as similar to everything as anything).</summary>
    private static double[] Normalised(ClipEmbeddings e)
    {
        var result = new double[e.Values.Length];
        for (var i = 0; i < e.Count; i++)
        {
            double norm = 0;
            for (var k = 0; k < e.Dimension; k++) norm += (double)e.Values[i * e.Dimension + k] * e.Values[i * e.Dimension + k];
            norm = Math.Sqrt(norm);
            for (var k = 0; k < e.Dimension; k++) result[i * e.Dimension + k] = norm > 0 ? e.Values[i * e.Dimension + k] / norm : 0;
        }
        return result;
    }
}
