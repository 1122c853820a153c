namespace AvDsl.Runtime.Evaluation;

/// <summary>Retrieval in one direction: the share of queries whose own pair ranks within the top 1, 5 and 10, and the
/// median and mean rank (1 is best; CAV-MAE's src/retrieval.py reports the same). <see cref="SameClassR1"/> is looser: the share
/// of queries whose nearest gallery item has the query's class label — it tells a model that aligns the streams only at
/// the level of the class from one that aligns nothing. <see cref="LargestHub"/> is the largest share of queries that have
/// one and the same gallery item as their nearest: near 1/N when each finds its own, near 1 when one item is everyone's
/// nearest (a "hub", which pins R@1 and class@1 whatever the queries).</summary>
public sealed record RetrievalScores(double R1, double R5, double R10, double MedianRank, double MeanRank, int Queries, double? SameClassR1 = null,
    double? LargestHub = null);
