namespace AvDsl.Dsl.Text;

/// <summary>A half-open range of characters [Start, Start + Length) in a source file.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan FromBounds(int start, int end) => new(start, end - start);

    public TextSpan Cover(TextSpan other) => FromBounds(System.Math.Min(Start, other.Start), System.Math.Max(End, other.End));

    public override string ToString() => $"[{Start}..{End})";
}
