namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// STELLA's summary of an accuracy matrix (<c>R[k][j]</c>: task j's recall after stage k). Average: the final row's mean over
/// tasks. Forgetting: over the tasks first trained before the last stage, the mean of (best R@k after an earlier stage, from
/// the one that first trained it, minus the final R@k); null when no task was (one stage, the multitask bound). Each R@k on
/// its own: the best R@1 and the best R@10 may come from different stages.
/// </summary>
public static class ContinualMetrics
{
    /// <param name="matrix">Rows: stages in training order; columns: tasks.</param>
    /// <param name="firstTrained">Per task, the stage (0-based) that first trained it, or null for a task never trained.</param>
    public static (RecallAtK Average, RecallAtK? Forgetting) Summarize(IReadOnlyList<IReadOnlyList<RecallAtK>> matrix, IReadOnlyList<int?> firstTrained)
    {
        if (matrix.Count == 0 || matrix.Any(row => row.Count != firstTrained.Count))
            throw new ArgumentException("the accuracy matrix needs a row per stage and a column per task.", nameof(matrix));
        var last = matrix.Count - 1;
        var average = RecallAtK.Mean(matrix[last]);
        var drops = new List<RecallAtK>();
        for (var task = 0; task < firstTrained.Count; task++)
        {
            if (firstTrained[task] is not { } first || first >= last) continue;
            var best = RecallAtK.Max(Enumerable.Range(first, last - first).Select(stage => matrix[stage][task]));
            drops.Add(best - matrix[last][task]);
        }
        return (average, drops.Count == 0 ? null : RecallAtK.Mean(drops));
    }
}
