namespace AvDsl.Runtime.Torch;

/// <summary>What an <see cref="IOpObserver"/> may learn about a tensor handle an op call showed it: shape, element
/// count and size, and whether it requires grad (read from the shim, so observers need not call it).</summary>
internal readonly record struct ObservedTensor(long[] Shape, long Elements, int ElementSize, bool RequiresGrad)
{
    private const int MaxRank = 16;

    public long Bytes => Elements * ElementSize;

    internal static unsafe ObservedTensor Of(IntPtr handle, string operation)
    {
        var shape = stackalloc long[MaxRank];
        NativeMethods.Check(NativeMethods.avt_tensor_meta(handle, out var meta, shape, MaxRank), operation);
        var rank = Math.Min(meta.Rank, MaxRank);
        var size = ((DType)meta.DType).ElementSize();
        return new ObservedTensor(new ReadOnlySpan<long>(shape, rank).ToArray(), meta.ElementCount, size, meta.RequiresGrad != 0);
    }
}
