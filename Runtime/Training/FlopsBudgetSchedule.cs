
namespace AvDsl.Runtime.Training;

/// <summary>
/// The batch whose step costs what <c>start</c> clips cost at the run's first step: start · c(0) / c(t), held within
/// [min, max], with c(t) the model's own training FLOPs per clip at step t (<see cref="PerSampleCost"/>, counted by the
/// trainer before the first step). As a masking curriculum hides more tokens a clip costs less, and the batch grows.
/// </summary>
[Constraint("start >= 1 and min <= start and start <= max", "the batch starts at `start`, within [min, max]")]
[Schedule("flops_budget", Range = "min, max")]
public sealed class FlopsBudgetSchedule(int start, int max, [SpecDefault("1")] int min = 1) : Schedule
{
    public int Start { get; } = start;
    public int Max { get; } = max;
    public int Min { get; } = min;

    /// <summary>The per-clip cost the batch follows; null until <see cref="Following"/> gives one.</summary>
    public PerSampleCost? Cost { get; private init; }

    /// <summary>This budget over the cost curve of a model.</summary>
    public FlopsBudgetSchedule Following(PerSampleCost cost) => new(Start, Max, Min) { Cost = cost };

    public override double At(long step, long totalSteps)
    {
        // The first step's batch is `start` by definition, so a plan can state it before any cost is counted.
        if (step == 0) return Math.Clamp(Start, Min, Max);
        if (Cost is null)
            throw new InvalidOperationException("flops_budget: the batch follows the model's per-clip cost, which the trainer counts before the first step; call Following(PerSampleCost.Count(...)) first.");
        return Math.Clamp(Start * Cost.At(0, totalSteps) / Cost.At(step, totalSteps), Min, Max);
    }
}
