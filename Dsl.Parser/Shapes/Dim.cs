using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>A tensor dimension: a size when the spec fixes it, a symbol (<c>B</c>, <c>K</c>) when it does not.</summary>
public readonly record struct Dim(long? Size, string? Symbol)
{
    public static Dim Of(long size) => new(size, null);
    public static Dim Named(string symbol) => new(null, symbol);

    public override string ToString() => Size?.ToString(CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}

/// <summary>The shape of a tensor, e.g. <c>[B, 128, 64]</c>.</summary>
public sealed record TensorShape(EquatableArray<Dim> Dims)
{
    public int Rank => Dims.Count;

    public override string ToString() => "[" + string.Join(", ", Dims.Select(d => d.ToString())) + "]";
}
