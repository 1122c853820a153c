using AvDsl.Runtime.Torch.Distributed;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Distributed;

/// <summary>
/// Data parallelism over a <see cref="ProcessGroup"/>, as PyTorch's DDP does it: parameters and buffers start as rank 0's,
/// and the gradients are averaged in buckets — the parameters in reverse order (the order backward produces them), a
/// bucket closed at <see cref="DefaultBucketBytes"/> (the first at <see cref="FirstBucketBytes"/>, so that backward's
/// first gradients leave early) or where the dtype changes — each summed over the ranks while
/// backward still runs (a <see cref="Reducer"/>), divided by their number and copied back. A parameter without a gradient
/// on this rank takes part as zeros and receives the average, so every rank steps with the same gradients.
/// </summary>
public sealed class DataParallel : IDisposable
{
    /// <summary>DDP's default bucket, 25 MiB.</summary>
    public const long DefaultBucketBytes = 25L * 1024 * 1024;

    /// <summary>DDP's first bucket, 1 MiB (<c>dist._DEFAULT_FIRST_BUCKET_BYTES</c>).</summary>
    public const long FirstBucketBytes = 1L * 1024 * 1024;

    private readonly Reducer _reducer;

    public DataParallel(ProcessGroup group, IEnumerable<Parameter> parameters, long bucketBytes = DefaultBucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        Group = group;
        var trained = parameters.Where(p => p.RequiresGrad).ToArray();
        Buckets = BucketsOf(trained.Select(p => (p.NumElements, p.DType)).ToArray(), bucketBytes);
        BytesPerStep = trained.Sum(p => p.NumElements * p.DType.ElementSize());
        _reducer = new Reducer(group, trained, Buckets);
    }

    public ProcessGroup Group { get; }

    /// <summary>Indices into the trained parameters, one list per bucket, in the order they are reduced.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Buckets { get; }

    /// <summary>Bytes of gradients each rank contributes to the all-reduce every step.</summary>
    public long BytesPerStep { get; }

    /// <summary>Every parameter and buffer of <paramref name="module"/> becomes <paramref name="root"/>'s.</summary>
    public static void Broadcast(ProcessGroup group, Module module, int root = 0)
    {
        Tensor[] tensors = [.. module.Parameters(), .. module.Buffers()];
        using var grad = T.NoGrad();
        group.Broadcast_(root, tensors);
    }

    /// <summary>How many buckets were already on their way when the last backward returned.</summary>
    public int OverlappedBuckets => _reducer.OverlappedBuckets;

    /// <summary>Call before backward: each bucket is then sent as soon as backward finished its gradients.</summary>
    public void PrepareForBackward() => _reducer.PrepareForBackward();

    /// <summary>Averages this step's gradients over the ranks, in place: sends the buckets backward has not sent (all of
    /// them without <see cref="PrepareForBackward"/>) and waits for every bucket.</summary>
    public void AverageGradients() => _reducer.FinalizeBackward();

    public void Dispose() => _reducer.Dispose();

    /// <summary>The buckets of tensors of these sizes and dtypes, in parameter order: indices, the last parameter first; the
    /// first bucket closes at <see cref="FirstBucketBytes"/> (or <paramref name="bucketBytes"/> when smaller).</summary>
    public static IReadOnlyList<IReadOnlyList<int>> BucketsOf(IReadOnlyList<(long Elements, DType DType)> parameters, long bucketBytes)
    {
        var buckets = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        var bytes = 0L;
        DType? dtype = null;
        for (var i = parameters.Count - 1; i >= 0; i--)
        {
            var size = parameters[i].Elements * parameters[i].DType.ElementSize();
            var cap = buckets.Count == 0 ? Math.Min(FirstBucketBytes, bucketBytes) : bucketBytes;
            if (current.Count > 0 && (bytes + size > cap || parameters[i].DType != dtype))
            {
                buckets.Add(current);
                current = [];
                bytes = 0;
            }
            current.Add(i);
            bytes += size;
            dtype = parameters[i].DType;
        }
        if (current.Count > 0) buckets.Add(current);
        return buckets;
    }
}
