using AvDsl.Runtime.Torch.Distributed;

namespace AvDsl.Runtime.Distributed;

/// <summary>
/// A barrier kept in the rendezvous store rather than in the process group (torch.distributed's store-based barrier):
/// each rank adds itself to a counter named for this barrier; the last to arrive sets a release key the others wait for,
/// up to the store's timeout. It needs no collective, so it also holds ranks that are between collectives — at a
/// checkpoint, where rank 0 must not write until every rank has written its own part.
/// </summary>
public sealed class StoreBarrier(TcpStore store, int worldSize, string prefix = "avdsl/barrier")
{
    private long _count;

    /// <summary>Waits until every rank has called this as many times as this one.</summary>
    public void Wait()
    {
        var name = $"{prefix}/{_count++}";
        if (store.Add(name, 1) == worldSize)
            store.Set(name + "/released", "1");
        store.Get(name + "/released");
    }
}
