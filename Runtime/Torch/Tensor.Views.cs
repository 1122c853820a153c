namespace AvDsl.Runtime.Torch;

public partial class Tensor
{
    /// <summary>Same data, new shape (copies only if it must); one size may be -1.</summary>
    public Tensor Reshape(params long[] shape) => Aten.Reshape.Call(this, shape);

    /// <summary>Same data, new shape; the tensor must be contiguous enough (else use <see cref="Reshape"/>).</summary>
    public Tensor View(params long[] shape) => Aten.View.Call(this, shape);

    public Tensor Permute(params long[] dims) => Aten.Permute.Call(this, dims);

    public Tensor Transpose(long dim0, long dim1) => Aten.Transpose.Call(this, dim0, dim1);

    public Tensor Unsqueeze(long dim) => Aten.Unsqueeze.Call(this, dim);

    /// <summary>Drops every dimension of size 1.</summary>
    public Tensor Squeeze() => Aten.Squeeze.Call(this);

    /// <summary>Drops <paramref name="dim"/> if its size is 1.</summary>
    public Tensor Squeeze(long dim) => Aten.SqueezeDim.Call(this, dim);

    /// <summary>Broadcasts size-1 dimensions to <paramref name="shape"/> without copying (-1 keeps a size).</summary>
    public Tensor Expand(params long[] shape) => Aten.Expand.Call(this, shape);

    /// <summary>Tiles the tensor (copies), like PyTorch's <c>repeat</c>.</summary>
    public Tensor Repeat(params long[] repeats) => Aten.Repeat.Call(this, repeats);

    public Tensor Flatten(long startDim = 0, long endDim = -1) => Aten.Flatten.Call(this, startDim, endDim);

    public Tensor Contiguous() => Aten.Contiguous.Call(this);

    /// <summary><paramref name="length"/> elements of <paramref name="dim"/> starting at <paramref name="start"/> (a view).</summary>
    public Tensor Narrow(long dim, long start, long length) => Aten.Narrow.Call(this, dim, start, length);

    /// <summary>Python's <c>x[start:end:step]</c> along <paramref name="dim"/> (a view); null means the end.</summary>
    public Tensor Slice(long dim, long? start = null, long? end = null, long step = 1) =>
        Aten.Slice.Call(this, dim, start is { } s ? s : OpArg.None, end is { } e ? e : OpArg.None, step);

    /// <summary>Index <paramref name="index"/> of <paramref name="dim"/>, removing that dimension (a view).</summary>
    public Tensor Select(long dim, long index) => Aten.Select.Call(this, dim, index);

    /// <summary>The slices along <paramref name="dim"/>, each without that dimension.</summary>
    public Tensor[] Unbind(long dim = 0)
    {
        var count = Size((int)dim);
        return Aten.Unbind.CallMany(checked((int)count), this, dim);
    }

    /// <summary>Splits into <paramref name="chunks"/> pieces along <paramref name="dim"/>.</summary>
    public Tensor[] Chunk(int chunks, long dim = 0) => Aten.Chunk.CallMany(chunks, this, chunks, dim);

    /// <summary>Pieces of <paramref name="size"/> along <paramref name="dim"/> (the last may be smaller); views.</summary>
    public Tensor[] Split(long size, long dim = 0)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), $"split: size must be positive, got {size} (for {Describe()}).");
        var count = (Size((int)dim) + size - 1) / size;
        return Aten.Split.CallMany(checked((int)Math.Max(count, 1)), this, size, dim);
    }

    /// <summary>Pieces with the given sizes along <paramref name="dim"/> (they must add up to its size); views.</summary>
    public Tensor[] Split(long[] sizes, long dim = 0) => Aten.SplitWithSizes.CallMany(Math.Max(sizes.Length, 1), this, sizes, dim);

    /// <summary>Repeats each element <paramref name="repeats"/> times along <paramref name="dim"/> (flattened when null).</summary>
    public Tensor RepeatInterleave(long repeats, long? dim = null) =>
        Aten.RepeatInterleave.Call(this, repeats, dim is { } d ? d : OpArg.None);

    /// <summary>Repeats element i <c>repeats[i]</c> times along <paramref name="dim"/>.</summary>
    public Tensor RepeatInterleave(Tensor repeats, long? dim = null) =>
        Aten.RepeatInterleaveTensor.Call(this, repeats, dim is { } d ? d : OpArg.None);

    /// <summary>A copy that does not share data (gradients still flow).</summary>
    public Tensor Clone() => Aten.Clone.Call(this);

    /// <summary>Converts the element type (a copy unless it already has it).</summary>
    public Tensor To(DType dtype) => Aten.ToDType.Call(this, dtype);

    /// <summary>Moves to a device (a copy unless it is already there).</summary>
    public Tensor To(Device device) => Aten.ToDevice.Call(this, device, DType);

    /// <summary>Moves to a device and converts the element type in one op.</summary>
    public Tensor To(Device device, DType dtype) => Aten.ToDevice.Call(this, device, dtype);
}
