namespace AvDsl.Runtime.Training;

/// <summary>Geometric from <c>from</c> at step 0 to <c>to</c> at the end of the run, or at the end of <c>over</c> and
/// flat after it: from·(to/from)^progress, the same factor every step (from and to must be positive).</summary>
[Constraint("from > 0 and to > 0", "from and to must be positive")]
[Schedule("exponential", Range = "from, to")]
public sealed class ExponentialSchedule : Schedule
{
    public ExponentialSchedule(double from, double to, [SpecDefault("1.0")] Duration? over = null)
    {
        if (!(from > 0) || !(to > 0))
            throw new ArgumentOutOfRangeException(nameof(from), $"exponential: from and to must be positive, got {from} and {to}.");
        From = from;
        To = to;
        Over = over;
    }

    public double From { get; }
    public double To { get; }
    public Duration? Over { get; }

    public override double At(long step, long totalSteps) =>
        From * Math.Pow(To / From, Progress(step, Over?.In(totalSteps) ?? totalSteps));
}
