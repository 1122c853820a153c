namespace AvDsl.Runtime.Training;

/// <summary>A length of training as a spec writes it: a whole number of steps, or a fraction of the run.</summary>
public readonly record struct Duration
{
    private Duration(long? steps, double? fraction)
    {
        StepCount = steps;
        FractionOfRun = fraction;
    }

    public long? StepCount { get; }
    public double? FractionOfRun { get; }

    public static Duration Steps(long steps) =>
        steps >= 0 ? new Duration(steps, null) : throw new ArgumentOutOfRangeException(nameof(steps), $"a duration cannot be negative, got {steps} steps.");

    public static Duration Fraction(double fraction) =>
        fraction is >= 0.0 and <= 1.0 ? new Duration(null, fraction) : throw new ArgumentOutOfRangeException(nameof(fraction), $"a fraction of the run is between 0 and 1, got {fraction}.");

    /// <summary>A whole number of steps, as a spec writes <c>warmup: 500</c>.</summary>
    public static implicit operator Duration(long steps) => Steps(steps);

    /// <summary>The number of steps this duration lasts in a run of <paramref name="totalSteps"/>.</summary>
    public long In(long totalSteps) => StepCount ?? (long)Math.Round(FractionOfRun!.Value * totalSteps);

    public override string ToString() => StepCount is { } s ? $"{s} steps" : $"{FractionOfRun:0.###} of the run";
}
