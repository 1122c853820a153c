using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Torch.Distributed;

/// <summary>
/// A c10d process group (PyTorch's <c>torch.distributed</c> default group): the ranks of one training run and the
/// collectives between them. <see cref="Gloo"/> is the CPU backend; every collective blocks until all ranks took part,
/// and a rank that died or a timeout is a <see cref="TorchException"/> on the others.
/// </summary>
public sealed unsafe class ProcessGroup : IDisposable
{
    private IntPtr _handle;

    private ProcessGroup(IntPtr handle, int rank, int size, string backend)
    {
        _handle = handle;
        Rank = rank;
        Size = size;
        Backend = backend;
    }

    ~ProcessGroup() => Release();

    public int Rank { get; }
    public int Size { get; }

    /// <summary>"gloo".</summary>
    public string Backend { get; }

    /// <summary>A Gloo group of <paramref name="size"/> ranks meeting through <paramref name="store"/>; this process is
    /// <paramref name="rank"/> and talks on <paramref name="hostname"/>'s address (empty: this host's name, else loopback).
    /// Waits until every rank joined.</summary>
    public static ProcessGroup Gloo(TcpStore store, int rank, int size, TimeSpan timeout, string hostname = "127.0.0.1", int threads = 2)
    {
        NativeMethods.Check(NativeMethods.avt_process_group_gloo_new(store.HandleFor("ProcessGroup.Gloo"), rank, size, hostname, threads,
            (long)timeout.TotalMilliseconds, out var handle), "ProcessGroup.Gloo");
        GC.KeepAlive(store);
        return new ProcessGroup(handle, rank, size, "gloo");
    }

    internal IntPtr HandleFor(string operation) =>
        _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(ProcessGroup), $"{operation}: the process group was used after it was disposed.");

    /// <summary>Each tensor becomes its sum over all ranks, in place (<c>all_reduce</c> with <c>ReduceOp.SUM</c>).</summary>
    public void AllReduceSum_(params Tensor[] tensors) => Collective(tensors, "ProcessGroup.AllReduceSum_",
        (group, handles, count) => NativeMethods.avt_process_group_allreduce_sum(group, handles, count));

    /// <summary>Each tensor becomes <paramref name="root"/>'s, in place.</summary>
    public void Broadcast_(int root, params Tensor[] tensors) => Collective(tensors, "ProcessGroup.Broadcast_",
        (group, handles, count) => NativeMethods.avt_process_group_broadcast(group, handles, count, root));

    /// <summary>Returns once every rank called it.</summary>
    public void Barrier()
    {
        NativeMethods.Check(NativeMethods.avt_process_group_barrier(HandleFor("ProcessGroup.Barrier")), "ProcessGroup.Barrier");
        GC.KeepAlive(this);
    }

    private delegate int NativeCollective(IntPtr group, IntPtr* handles, int count);

    private void Collective(Tensor[] tensors, string operation, NativeCollective call)
    {
        var handles = Fused.Handles(tensors, operation);
        fixed (IntPtr* p = handles)
        {
            var status = call(HandleFor(operation), p, handles.Length);
            GC.KeepAlive(tensors);
            GC.KeepAlive(this);
            NativeMethods.Check(status, operation);
        }
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle != IntPtr.Zero) NativeMethods.avt_process_group_free(handle);
    }
}
