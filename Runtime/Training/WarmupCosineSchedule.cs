namespace AvDsl.Runtime.Training;

/// <summary>
/// MAE's learning-rate schedule: linear warm-up peak·t / warmup for t &lt; warmup (so step 0 uses 0, as in
/// MAE and HuggingFace), then half a cosine from peak down to floor, reached at totalSteps. The warm-up is a
/// number of steps or a fraction of the run.
/// </summary>
[Constraint("warmup <= run", "the warm-up must end within the run")]
[Schedule("warmup_cosine", Range = "0, peak, floor")]
public sealed class WarmupCosineSchedule(double peak, Duration warmup, double floor = 0.0) : Schedule
{
    public double Peak { get; } = peak;
    public Duration Warmup { get; } = warmup;
    public double Floor { get; } = floor;

    public override double At(long step, long totalSteps)
    {
        var warmup = Warmup.In(totalSteps);
        if (step < warmup)
            return Peak * step / warmup;
        var decaySteps = totalSteps - warmup;
        var progress = decaySteps <= 0 ? 1.0 : Math.Clamp((step - warmup) / (double)decaySteps, 0.0, 1.0);
        return CosineBetween(Peak, Floor, progress);
    }
}
