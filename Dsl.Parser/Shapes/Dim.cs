using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>A tensor dimension: a size when the spec fixes it, else a symbol (<c>B</c>, <c>K</c>) plus a whole offset, so
/// that a CLS token's <c>K + 1</c> and a dropped one's <c>K + 1 - 1</c> compare as they should.</summary>
public readonly record struct Dim(long? Size, string? Symbol, long Offset = 0)
{
    public static Dim Of(long size) => new(size, null);
    public static Dim Named(string symbol) => new(null, symbol);

    public bool IsKnown => Size is not null;

    /// <summary>This dimension plus a whole number.</summary>
    public Dim Plus(long amount) => Size is { } size ? Of(size + amount) : this with { Offset = Offset + amount };

    public override string ToString() => Size?.ToString(CultureInfo.InvariantCulture)
        ?? (Symbol ?? "?") + (Offset > 0 ? $"+{Offset.ToString(CultureInfo.InvariantCulture)}" : Offset < 0 ? Offset.ToString(CultureInfo.InvariantCulture) : "");
}

/// <summary>The shape of a tensor, e.g. <c>[B, 128, 64]</c>.</summary>
public sealed record TensorShape(EquatableArray<Dim> Dims)
{
    public int Rank => Dims.Count;

    public override string ToString() => "[" + string.Join(", ", Dims.Select(d => d.ToString())) + "]";
}
