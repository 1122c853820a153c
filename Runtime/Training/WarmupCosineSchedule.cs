namespace AvDsl.Runtime.Training;

/// <summary>
/// MAE's learning-rate schedule: linear warm-up peak·t / warmup for t &lt; warmup (so step 0 uses 0, as in
/// MAE and HuggingFace), then half a cosine from peak down to floor, reached at totalSteps.
/// </summary>
public sealed class WarmupCosineSchedule : Schedule
{
    public WarmupCosineSchedule(double peak, long warmup, double floor = 0.0)
    {
        if (warmup < 0)
            throw new ArgumentOutOfRangeException(nameof(warmup), $"warmup_cosine: warmup must not be negative, got {warmup}.");
        Peak = peak;
        Warmup = warmup;
        Floor = floor;
    }

    /// <summary>Warm-up as a duration: a number of steps or a fraction of the run.</summary>
    public WarmupCosineSchedule(double peak, Duration warmup, double floor = 0.0)
        : this(peak, 0, floor) => WarmupDuration = warmup;

    private Duration? WarmupDuration { get; }

    public double Peak { get; }
    public long Warmup { get; }
    public double Floor { get; }

    public override double At(long step, long totalSteps)
    {
        var warmup = WarmupDuration?.In(totalSteps) ?? Warmup;
        if (step < warmup)
            return Peak * step / warmup;
        var decaySteps = totalSteps - warmup;
        var progress = decaySteps <= 0 ? 1.0 : Math.Clamp((step - warmup) / (double)decaySteps, 0.0, 1.0);
        return CosineBetween(Peak, Floor, progress);
    }
}
