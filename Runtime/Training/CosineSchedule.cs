namespace AvDsl.Runtime.Training;

/// <summary>Half a cosine from <c>from</c> at step 0 to <c>to</c> at the end of the run, or at the end of
/// <c>over</c> and flat after it.</summary>
[Schedule("cosine", Range = "from, to")]
public sealed class CosineSchedule(double from, double to, [SpecDefault("1.0")] Duration? over = null) : Schedule
{
    public double From { get; } = from;
    public double To { get; } = to;
    public Duration? Over { get; } = over;

    public override double At(long step, long totalSteps) => CosineBetween(From, To, Progress(step, Over?.In(totalSteps) ?? totalSteps));
}
