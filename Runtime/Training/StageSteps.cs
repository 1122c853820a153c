namespace AvDsl.Runtime.Training;

/// <summary>
/// Where each stage of a sequence of tasks lies in the run's steps: stage k takes <see cref="Lengths"/>[k] steps, after the
/// stages before it. Schedules (learning rate, masking) follow the whole run, not each stage.
/// </summary>
public sealed record StageSteps(IReadOnlyList<long> Lengths)
{
    public long Total => Lengths.Sum();

    /// <summary>The run's step (0-based) at which stage <paramref name="stage"/> starts.</summary>
    public long First(int stage) => Lengths.Take(stage).Sum();

    /// <summary>The step after the last of stage <paramref name="stage"/>.</summary>
    public long End(int stage) => First(stage) + Lengths[stage];

    /// <summary>The stage step <paramref name="step"/> (0-based) belongs to; the last stage for the step after the run.</summary>
    public int At(long step)
    {
        long end = 0;
        for (var stage = 0; stage < Lengths.Count; stage++)
        {
            end += Lengths[stage];
            if (step < end) return stage;
        }
        return Lengths.Count - 1;
    }

    /// <summary>
    /// Each stage's length: <paramref name="stepsPerStage"/> (--steps) when given, else the plan's steps, or its epochs over the
    /// stage's clips (the last batch of a pass completed from the next, as in a one-source run). A resumed run of
    /// <paramref name="totalSteps"/> steps that are not the plan's own was started with --steps: its stages are equal.
    /// </summary>
    public static StageSteps For(TrainingPlan plan, long? stepsPerStage = null, long? totalSteps = null)
    {
        var count = plan.Stages.Count;
        if (stepsPerStage is { } each) return new StageSteps(Enumerable.Repeat(each, count).ToList());
        var natural = new StageSteps(plan.Stages.Select(stage => plan.Epochs is { } epochs
            ? (long)Math.Ceiling(epochs * stage.CountClips() / (double)plan.BatchSize)
            : plan.Steps).ToList());
        if (totalSteps is not { } total || total == natural.Total) return natural;
        if (total % count != 0)
            throw new RunNotResumableException($"The run is {total} steps long, which is neither the plan's {natural.Total} nor {count} equal stages, so its stages cannot be placed.");
        return new StageSteps(Enumerable.Repeat(total / count, count).ToList());
    }
}
