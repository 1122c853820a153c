namespace AvDsl.Runtime.Evaluation;

/// <summary>R@1, R@5 and R@10 together (shares, 0 to 1): one cell of a continual summary.</summary>
public sealed record RecallAtK(double R1, double R5, double R10)
{
    public static RecallAtK Of(RetrievalScores scores) => new(scores.R1, scores.R5, scores.R10);

    public static RecallAtK Mean(IReadOnlyList<RecallAtK> items) =>
        new(items.Average(i => i.R1), items.Average(i => i.R5), items.Average(i => i.R10));

    public static RecallAtK Max(IEnumerable<RecallAtK> items) =>
        items.Aggregate((a, b) => new RecallAtK(Math.Max(a.R1, b.R1), Math.Max(a.R5, b.R5), Math.Max(a.R10, b.R10)));

    public static RecallAtK operator -(RecallAtK a, RecallAtK b) => new(a.R1 - b.R1, a.R5 - b.R5, a.R10 - b.R10);
}
