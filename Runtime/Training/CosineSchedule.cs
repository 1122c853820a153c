namespace AvDsl.Runtime.Training;

/// <summary>Half a cosine from <c>from</c> at step 0 to <c>to</c> at the end of the run.</summary>
public sealed class CosineSchedule(double from, double to) : Schedule
{
    public double From { get; } = from;
    public double To { get; } = to;

    public override double At(long step, long totalSteps) => CosineBetween(From, To, Progress(step, totalSteps));
}
