namespace AvDsl.Runtime.Training;

/// <summary>
/// A value that moves during training (learning rate, masking ratio, EMA decay, loss weights...).
/// <c>step</c> is 0-based; the value for step t uses progress t / totalSteps, so a schedule reaches its end
/// value at t = totalSteps, just after the last step (as MAE's and timm's per-iteration schedules do).
/// </summary>
public abstract class Schedule
{
    public abstract double At(long step, long totalSteps);

    /// <summary>t / total clamped to [0, 1] (1 when there are no steps).</summary>
    protected static double Progress(long step, long totalSteps) =>
        totalSteps <= 0 ? 1.0 : Math.Clamp(step / (double)totalSteps, 0.0, 1.0);

    /// <summary>Half a cosine from <paramref name="from"/> (progress 0) to <paramref name="to"/> (progress 1).</summary>
    protected static double CosineBetween(double from, double to, double progress) =>
        to + (from - to) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
}
