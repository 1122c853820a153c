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

    public double Peak { get; }
    public long Warmup { get; }
    public double Floor { get; }

    public override double At(long step, long totalSteps)
    {
        if (step < Warmup)
            return Peak * step / Warmup;
        var decaySteps = totalSteps - Warmup;
        var progress = decaySteps <= 0 ? 1.0 : Math.Clamp((step - Warmup) / (double)decaySteps, 0.0, 1.0);
        return CosineBetween(Peak, Floor, progress);
    }
}
