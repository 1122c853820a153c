using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace AvDsl.Dsl.Shapes;

/// <summary>Identity comparison (netstandard2.0 has no ReferenceEqualityComparer): bound expressions are records,
/// and two equal ones at different places may have different shapes.</summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
{
    public static ReferenceComparer<T> Instance { get; } = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
