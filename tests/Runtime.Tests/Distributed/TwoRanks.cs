using AvDsl.Runtime.Torch.Distributed;
using AvDsl.Runtime.Torch;
using Xunit;

namespace AvDsl.Runtime.Tests.Distributed;

/// <summary>Two ranks of a Gloo group on two threads of this process, talking TCP over loopback.</summary>
internal static class TwoRanks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static int FreePort() => TcpStore.FreeLoopbackPort();

    /// <summary>Runs <paramref name="body"/> as rank 0 and rank 1 at once, each with its own store client and group.</summary>
    public static T2[] Run<T2>(Func<ProcessGroup, TcpStore, T2> body)
    {
        var port = FreePort();
        using var server = new TcpStore("127.0.0.1", port, isServer: true, worldSize: 2, Timeout);
        var ranks = Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            using var store = new TcpStore("127.0.0.1", port, isServer: false, worldSize: 2, Timeout);
            using var group = ProcessGroup.Gloo(store, rank, 2, Timeout);
            using var scope = new TensorScope();
            return body(group, store);
        })).ToArray();
        Assert.True(Task.WaitAll(ranks, TimeSpan.FromSeconds(60)), "the two ranks did not finish");
        return ranks.Select(r => r.Result).ToArray();
    }
}
