using AvDsl.Runtime.Torch.Distributed;

namespace AvDsl.Runtime.Distributed;

/// <summary>
/// This process's part in a data-parallel run: where it sits (<see cref="Environment"/>), the store it met the others
/// through and the Gloo group. Rank 0 writes the run's files; every rank trains on its share of each global batch.
/// </summary>
public sealed class DistributedRun : IDisposable
{
    private DistributedRun(DistributedEnvironment environment, TcpStore store, ProcessGroup group)
    {
        Environment = environment;
        Store = store;
        Group = group;
        Barrier = new StoreBarrier(store, environment.WorldSize);
    }

    public DistributedEnvironment Environment { get; }
    public TcpStore Store { get; }
    public ProcessGroup Group { get; }

    /// <summary>The store-backed barrier every rank passes at a checkpoint.</summary>
    public StoreBarrier Barrier { get; }

    public int Rank => Environment.Rank;
    public int WorldSize => Environment.WorldSize;

    /// <summary>Rank 0: it writes metrics, checkpoints and the run's snapshot.</summary>
    public bool IsMain => Rank == 0;

    /// <summary>Meets the other ranks: the store at MASTER_ADDR:MASTER_PORT (served by rank 0 unless a launcher's agent
    /// serves it), then the Gloo group. Waits up to <paramref name="timeout"/> for all of them.</summary>
    public static DistributedRun Join(DistributedEnvironment environment, TimeSpan timeout)
    {
        var store = new TcpStore(environment.MasterAddr, environment.MasterPort, environment.ServesStore, environment.WorldSize, timeout);
        try
        {
            // On one machine every rank talks over loopback; across machines on this host's own address.
            var local = environment.LocalWorldSize == environment.WorldSize;
            var group = ProcessGroup.Gloo(store, environment.Rank, environment.WorldSize, timeout, hostname: local ? "127.0.0.1" : "");
            return new DistributedRun(environment, store, group);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Group.Dispose();
        Store.Dispose();
    }
}
