namespace AvDsl.Runtime.Data;

/// <summary>A float32 array in C order with its shape — one clip's features.</summary>
public sealed record FeatureArray(float[] Data, int[] Shape)
{
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
