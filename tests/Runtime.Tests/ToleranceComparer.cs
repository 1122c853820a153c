namespace AvDsl.Runtime.Tests;

/// <summary>Equality within an absolute tolerance, for Assert.Equal on arrays of doubles.</summary>
internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
