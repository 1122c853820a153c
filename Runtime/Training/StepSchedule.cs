namespace AvDsl.Runtime.Training;

/// <summary>Piecewise constant: <c>values[0]</c> until <c>at[0]</c>, then <c>values[1]</c> until <c>at[1]</c>, …
/// (one more value than boundaries).</summary>
[Constraint("len(values) == len(at) + 1", "step needs one more value than boundaries")]
[Schedule("step", Range = "values")]
public sealed class StepSchedule : Schedule
{
    private readonly double[] _values;
    private readonly Duration[] _at;

    public StepSchedule(double[] values, Duration[] at)
    {
        if (values.Length != at.Length + 1)
            throw new ArgumentException($"step: needs one more value than boundaries, got {values.Length} values and {at.Length} boundaries.");
        _values = values;
        _at = at;
    }

    public override double At(long step, long totalSteps)
    {
        var index = 0;
        while (index < _at.Length && step >= _at[index].In(totalSteps)) index++;
        return _values[index];
    }
}
