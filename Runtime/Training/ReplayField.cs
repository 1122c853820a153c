using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// One named thing a <see cref="ReplayBuffer"/> keeps per sample — an input's decoded features (<c>audio</c> [T, F],
/// <c>video</c> [C, T, H, W]) or a model output detached when it was stored (DER++'s pooled embeddings, STELLA's per-head
/// query summaries): its element type and the shape of one sample, without the batch dimension.
/// </summary>
public sealed record ReplayField
{
    public ReplayField(string name, DType dtype, IEnumerable<long> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        DType = dtype;
        Shape = shape.ToArray();
        if (Shape.Any(size => size < 0))
            throw new ArgumentOutOfRangeException(nameof(shape), $"replay field '{name}': sizes must not be negative, got [{string.Join(", ", Shape)}].");
    }

    public string Name { get; }

    public DType DType { get; }

    /// <summary>The shape of one sample (the stored tensor is [capacity, ..Shape]).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The field of <paramref name="batch"/>'s samples: its dtype and its shape after the leading batch dimension.</summary>
    public static ReplayField Of(string name, Tensor batch)
    {
        var shape = batch.Shape;
        if (shape.Length == 0)
            throw new ArgumentException($"replay field '{name}': a batch needs a leading batch dimension, got a 0-dimensional {batch.Describe()}.", nameof(batch));
        return new ReplayField(name, batch.DType, shape[1..]);
    }

    public bool Equals(ReplayField? other) =>
        other is not null && Name == other.Name && DType == other.DType && Shape.SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(Name, DType, Shape.Count);

    /// <summary>"audio: Float32[256, 128]".</summary>
    public override string ToString() => $"{Name}: {DType}[{string.Join(", ", Shape)}]";
}
