namespace AvDsl.Runtime.Torch.Distributed;

/// <summary>
/// Gradient buckets summed over a <see cref="ProcessGroup"/> while backward runs, as DDP's c10d <c>Reducer</c> does (its
/// header cannot be built against Debian's libtorch, so the shim rebuilds it on autograd post-hooks). After
/// <see cref="PrepareForBackward"/>, each bucket's all-reduce starts as soon as backward produced its last gradient, in
/// bucket order on every rank; <see cref="FinalizeBackward"/> starts the rest, waits, and leaves each gradient the
/// ranks' average. A parameter backward gave no gradient takes part as zeros and receives the average.
/// </summary>
public sealed unsafe class Reducer : IDisposable
{
    private IntPtr _handle;
    private readonly Tensor[] _parameters; // the hooks live on these tensors' grad accumulators
    private readonly ProcessGroup _group;

    /// <param name="buckets">Indices into <paramref name="parameters"/>, one list per bucket, in launch order; every
    /// parameter in exactly one, one dtype per bucket.</param>
    public Reducer(ProcessGroup group, IReadOnlyList<Tensor> parameters, IReadOnlyList<IReadOnlyList<int>> buckets)
    {
        _group = group;
        _parameters = [.. parameters];
        var handles = Fused.Handles(_parameters, "Reducer");
        var indices = buckets.SelectMany(b => b).ToArray();
        var sizes = buckets.Select(b => b.Count).ToArray();
        fixed (IntPtr* p = handles)
        fixed (int* i = indices)
        fixed (int* s = sizes)
        {
            var status = NativeMethods.avt_reducer_new(group.HandleFor("Reducer"), p, handles.Length, i, s, sizes.Length, out _handle);
            GC.KeepAlive(group);
            NativeMethods.Check(status, "Reducer");
        }
    }

    ~Reducer() => Release();

    /// <summary>How many buckets the last backward had already sent when <see cref="FinalizeBackward"/> was called.</summary>
    public int OverlappedBuckets { get; private set; }

    /// <summary>Arms the hooks for the next backward (DDP's <c>prepare_for_backward</c>).</summary>
    public void PrepareForBackward()
    {
        NativeMethods.Check(NativeMethods.avt_reducer_prepare(HandleFor("Reducer.PrepareForBackward")), "Reducer.PrepareForBackward");
        GC.KeepAlive(this);
    }

    /// <summary>Sends the buckets backward did not finish, waits for all, and writes the averaged gradients back.
    /// Without <see cref="PrepareForBackward"/> every bucket is sent here.</summary>
    public void FinalizeBackward()
    {
        var status = NativeMethods.avt_reducer_finalize(HandleFor("Reducer.FinalizeBackward"), out var overlapped);
        GC.KeepAlive(this);
        GC.KeepAlive(_parameters);
        NativeMethods.Check(status, "Reducer.FinalizeBackward");
        OverlappedBuckets = overlapped;
    }

    private IntPtr HandleFor(string operation) =>
        _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Reducer), $"{operation}: the reducer was used after it was disposed.");

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != IntPtr.Zero) NativeMethods.avt_reducer_free(handle);
        GC.KeepAlive(_group);
    }
}
