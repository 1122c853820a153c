namespace AvDsl.Runtime.Training;

/// <summary>The same value at every step.</summary>
[Schedule("constant", Range = "value")]
public sealed class ConstantSchedule(double value) : Schedule
{
    public double Value { get; } = value;

    public override double At(long step, long totalSteps) => Value;
}
