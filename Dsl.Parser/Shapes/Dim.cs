using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AvDsl.Dsl.Text;

namespace AvDsl.Dsl.Shapes;

/// <summary>A tensor dimension: a size when the spec fixes it, else a symbol (<c>B</c>, <c>K</c>) plus a whole offset, so
/// that a CLS token's <c>K + 1</c> and a dropped one's <c>K + 1 - 1</c> compare as they should. A sum or difference of
/// symbolic dimensions keeps its terms in a canonical order (<c>K+K2</c>), so that splitting <c>[a; b]</c> back by
/// <c>a</c>'s length gives <c>b</c>'s.</summary>
public readonly record struct Dim(long? Size, string? Symbol, long Offset = 0)
{
    public static Dim Of(long size) => new(size, null);
    public static Dim Named(string symbol) => new(null, symbol);

    public bool IsKnown => Size is not null;

    /// <summary>This dimension plus a whole number.</summary>
    public Dim Plus(long amount) => Size is { } size ? Of(size + amount) : this with { Offset = Offset + amount };

    /// <summary>This dimension plus (<paramref name="sign"/> 1) or minus (-1) another, symbol terms cancelling.</summary>
    public Dim Add(Dim other, int sign)
    {
        var terms = Terms();
        foreach (var (atom, count) in other.Terms())
            terms[atom] = (terms.TryGetValue(atom, out var c) ? c : 0) + sign * count;
        var offset = (Size ?? Offset) + sign * (other.Size ?? other.Offset);
        var kept = terms.Where(t => t.Value != 0).OrderBy(t => t.Key, System.StringComparer.Ordinal).ToList();
        if (kept.Count == 0) return Of(offset);
        var symbol = string.Concat(kept.Select((t, i) =>
            (t.Value < 0 ? "-" : i > 0 ? "+" : "")
            + (System.Math.Abs(t.Value) == 1 ? "" : System.Math.Abs(t.Value).ToString(CultureInfo.InvariantCulture) + "*")
            + t.Key));
        return new Dim(null, symbol, offset);
    }

    /// <summary>The symbol as atoms with whole coefficients: "K+K2" → {K: 1, K2: 1}; an atom may be bracketed.</summary>
    private Dictionary<string, long> Terms()
    {
        var terms = new Dictionary<string, long>(System.StringComparer.Ordinal);
        if (Symbol is not { } symbol) return terms;
        var depth = 0;
        var start = 0;
        var sign = 1L;
        for (var i = 0; i <= symbol.Length; i++)
        {
            var c = i < symbol.Length ? symbol[i] : '\0';
            if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (depth == 0 && (c is '\0' || ((c is '+' or '-') && i > 0)))
            {
                Accumulate(terms, symbol.Substring(start, i - start), sign);
                sign = c == '-' ? -1 : 1;
                start = i + 1;
            }
        }
        return terms;
    }

    private static void Accumulate(Dictionary<string, long> terms, string text, long sign)
    {
        if (text.StartsWith("-", System.StringComparison.Ordinal))
        {
            sign = -sign;
            text = text.Substring(1);
        }
        var star = text.IndexOf('*');
        if (star > 0 && long.TryParse(text.Substring(0, star), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            sign *= count;
            text = text.Substring(star + 1);
        }
        terms[text] = (terms.TryGetValue(text, out var c) ? c : 0) + sign;
    }

    public override string ToString() => Size?.ToString(CultureInfo.InvariantCulture)
        ?? (Symbol ?? "?") + (Offset > 0 ? $"+{Offset.ToString(CultureInfo.InvariantCulture)}" : Offset < 0 ? Offset.ToString(CultureInfo.InvariantCulture) : "");
}

/// <summary>The shape of a tensor, e.g. <c>[B, 128, 64]</c>.</summary>
public sealed record TensorShape(EquatableArray<Dim> Dims)
{
    public int Rank => Dims.Count;

    public override string ToString() => "[" + string.Join(", ", Dims.Select(d => d.ToString())) + "]";
}
