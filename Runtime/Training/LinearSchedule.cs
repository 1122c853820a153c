namespace AvDsl.Runtime.Training;

/// <summary>A straight line from <c>from</c> at step 0 to <c>to</c> at the end of the run.</summary>
public sealed class LinearSchedule(double from, double to) : Schedule
{
    public double From { get; } = from;
    public double To { get; } = to;

    public override double At(long step, long totalSteps) => From + (To - From) * Progress(step, totalSteps);
}
