namespace AvDsl.Runtime.Training;

/// <summary>Straight lines between points (<c>at[i]</c>, <c>values[i]</c>); flat before the first point and after the last.</summary>
[Constraint("len(at) >= 1 and len(at) == len(values)", "piecewise needs as many values as points, at least one")]
[Schedule("piecewise", Range = "values")]
public sealed class PiecewiseSchedule : Schedule
{
    private readonly Duration[] _at;
    private readonly double[] _values;

    public PiecewiseSchedule(Duration[] at, double[] values)
    {
        if (at.Length == 0 || at.Length != values.Length)
            throw new ArgumentException($"piecewise: needs as many values as points (at least one), got {values.Length} values and {at.Length} points.");
        _at = at;
        _values = values;
    }

    public override double At(long step, long totalSteps)
    {
        var points = _at.Select(a => a.In(totalSteps)).ToArray();
        if (step <= points[0]) return _values[0];
        for (var i = 1; i < points.Length; i++)
        {
            if (step > points[i]) continue;
            var span = points[i] - points[i - 1];
            return span <= 0 ? _values[i] : _values[i - 1] + (_values[i] - _values[i - 1]) * (step - points[i - 1]) / span;
        }
        return _values[^1];
    }
}
