using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// How many clips each step of a run takes, and how many steps the run lasts: the plan's fixed batch, or its batch
/// schedule rounded (at least one clip, or the run stops and says at which step). A <see cref="FlopsBudgetSchedule"/> is
/// bound here to the model's own per-clip cost, counted for the run's length.
/// </summary>
public sealed class StepBatches
{
    private readonly Schedule? _schedule;
    private readonly int _fixed;

    private StepBatches(Schedule? schedule, int fixedSize, long totalSteps, PerSampleCost? cost)
    {
        _schedule = schedule;
        _fixed = fixedSize;
        TotalSteps = totalSteps;
        Cost = cost;
    }

    public long TotalSteps { get; }

    /// <summary>The per-clip cost a <c>flops_budget</c> batch follows; null for any other batch.</summary>
    public PerSampleCost? Cost { get; }

    /// <summary>Clips at step <paramref name="step"/> (0-based).</summary>
    public int At(long step)
    {
        if (_schedule is null) return _fixed;
        var size = (int)Math.Round(_schedule.At(step, TotalSteps));
        return size > 0
            ? size
            : throw new ArgumentOutOfRangeException(nameof(step), $"the batch schedule gives {size} examples at step {step}; a batch needs at least one.");
    }

    /// <summary>
    /// The batches of a run of <paramref name="totalSteps"/> steps (a resumed run's recorded length, or --steps), or of the
    /// plan's own length: its steps, or its epochs over <paramref name="clips"/> clips. Epochs over a moving batch last the
    /// fewest steps whose batches hold all the epochs' clips; for a <c>flops_budget</c> batch that length is found over the
    /// cost counted at the run's proportions (a run of <see cref="PerSampleCost.Intervals"/> steps), and the cost is then
    /// counted again for it. Counting runs <paramref name="model"/> (training mode, frozen parameters frozen) and leaves
    /// libtorch's generator as it found it.
    /// </summary>
    public static StepBatches For(TrainingPlan plan, SpecModel model, long? clips, long? totalSteps = null, Device? device = null)
    {
        totalSteps ??= plan.Epochs is null ? plan.Steps : null;
        long Clips() => clips
            ?? throw new ArgumentException("epochs need a data source of known size; this one never runs out, so count the run in steps.");
        if (plan.BatchSchedule is FlopsBudgetSchedule budget)
        {
            var length = totalSteps ?? PerSampleCost.Intervals;
            var cost = PerSampleCost.Count(model, plan.Features, length, device);
            if (totalSteps is null)
            {
                length = StepsFor(plan.Epochs!.Value * Clips(), budget.Following(cost));
                cost = PerSampleCost.Count(model, plan.Features, length, device);
            }
            return new StepBatches(budget.Following(cost), plan.BatchSize, length, cost);
        }
        if (plan.BatchSchedule is { } schedule)
            return new StepBatches(schedule, plan.BatchSize, totalSteps ?? StepsFor(plan.Epochs!.Value * Clips(), schedule), null);
        // The last batch of a pass is completed from the next.
        return new StepBatches(null, plan.BatchSize, totalSteps ?? (long)Math.Ceiling(plan.Epochs!.Value * Clips() / (double)plan.BatchSize), null);
    }

    /// <summary>The fewest steps T whose batches, as <paramref name="schedule"/> gives them in a run of T steps, hold
    /// <paramref name="clips"/> clips (a binary search: a longer run holds more).</summary>
    private static long StepsFor(long clips, Schedule schedule)
    {
        long Held(long total)
        {
            var batches = new StepBatches(schedule, 0, total, null);
            long sum = 0;
            for (long step = 0; step < total && sum < clips; step++) sum += batches.At(step);
            return sum;
        }
        long low = 1, high = Math.Max(1, clips);
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (Held(middle) >= clips) high = middle;
            else low = middle + 1;
        }
        return low;
    }
}
