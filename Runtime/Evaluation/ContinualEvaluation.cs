using AvDsl.Runtime.Training;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// The accuracy matrix of a run over a sequence of tasks: the model after each stage (its checkpoint-stage-K) retrieves on every
/// task's test split with the spec's <c>retrieval</c> embeddings; then STELLA's average and forgetting per direction.
/// </summary>
public static class ContinualEvaluation
{
    /// <param name="stageCheckpoints">The model after each stage, in order; one per stage of the plan.</param>
    /// <param name="progress">Told of each cell as it is measured.</param>
    public static ContinualReport Run(TrainingPlan plan, IReadOnlyList<string> stageCheckpoints, long seed, int workers,
        Action<ContinualCell>? progress = null, CancellationToken cancel = default)
    {
        if (plan.Stages.Count == 0)
            throw new ArgumentException($"spec {plan.SpecName} trains on one source; continual evaluation needs tasks (`task speech = manifest(…)` and `train: [speech, …]` in its data block).");
        if (stageCheckpoints.Count != plan.Stages.Count)
            throw new ArgumentException($"spec {plan.SpecName} has {plan.Stages.Count} stages but {stageCheckpoints.Count} stage checkpoints were given.");
        if (plan.Retrieval is not { } pair)
            throw new ArgumentException($"spec {plan.SpecName} declares no retrieval; add `retrieval: [audio_clip, video_clip]` to its eval block.");

        var matrix = new List<IReadOnlyList<ContinualCell>>();
        for (var stage = 0; stage < stageCheckpoints.Count; stage++)
        {
            var row = new List<ContinualCell>();
            foreach (var task in plan.Tasks)
            {
                var source = task.Test;
                var request = new RetrievalRequest(task.Name, source.Path, stageCheckpoints[stage], seed, source.Split,
                    string.IsNullOrEmpty(source.Cache) ? null : source.Cache, workers, source.Labels);
                var report = RetrievalEvaluation.Run(plan, request, cancel);
                var cell = new ContinualCell(stage + 1, task.Name, report.Clips, report.FirstToSecond, report.SecondToFirst);
                progress?.Invoke(cell);
                row.Add(cell);
            }
            matrix.Add(row);
        }

        var firstTrained = plan.Tasks.Select(task =>
        {
            var index = plan.Stages.ToList().FindIndex(s => s.Tasks.Any(t => t.Name == task.Name));
            return index < 0 ? (int?)null : index;
        }).ToList();
        ContinualSummary Summary(Func<ContinualCell, RetrievalScores> direction)
        {
            var (average, forgetting) = ContinualMetrics.Summarize(
                matrix.Select(row => (IReadOnlyList<RecallAtK>)row.Select(c => RecallAtK.Of(direction(c))).ToList()).ToList(), firstTrained);
            return new ContinualSummary(average, forgetting);
        }
        return new ContinualReport(plan.SpecName, seed, pair.First, pair.Second, plan.Stages.Select(s => s.Name).ToList(),
            plan.Tasks.Select(t => t.Name).ToList(), matrix, Summary(c => c.FirstToSecond), Summary(c => c.SecondToFirst));
    }
}
