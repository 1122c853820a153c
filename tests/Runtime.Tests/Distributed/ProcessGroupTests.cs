using AvDsl.Runtime.Torch.Distributed;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Distributed;

/// <summary>c10d's TCPStore and Gloo over real TCP on loopback: two ranks on two threads of this process (the multi-process
/// runs are the launcher's tests).</summary>
public sealed class ProcessGroupTests
{
    [Fact]
    public void All_reduce_sums_over_the_ranks_in_place_and_broadcast_gives_every_rank_the_root_s_tensor()
    {
        var results = TwoRanks.Run((group, _) =>
        {
            var x = T.FromArray(new float[] { 1, 2, 3 }, 3) * (group.Rank * 10 + 1); // rank 0: 1 2 3, rank 1: 11 22 33
            var y = T.FromArray(new double[] { group.Rank }, 1);
            group.AllReduceSum_(x, y);
            var b = T.FromArray(new long[] { group.Rank + 5, group.Rank + 7 }, 2);
            group.Broadcast_(1, b);
            group.Barrier();
            return (group.Size, Sum: x.ToArray<float>(), Y: y.ToArray<double>()[0], B: b.ToArray<long>());
        });
        Assert.All(results, r =>
        {
            Assert.Equal(2, r.Size);
            Assert.Equal(new float[] { 12, 24, 36 }, r.Sum);
            Assert.Equal(1.0, r.Y);
            Assert.Equal(new long[] { 6, 8 }, r.B);
        });
    }

    [Fact]
    public void The_store_carries_keys_and_counters_between_ranks()
    {
        var results = TwoRanks.Run((group, store) =>
        {
            store.Set($"hello/{group.Rank}", $"from rank {group.Rank}");
            var arrivals = store.Add("arrived", 1);
            return (Other: store.Get($"hello/{1 - group.Rank}"), arrivals);
        });
        Assert.Equal("from rank 1", results[0].Other);
        Assert.Equal("from rank 0", results[1].Other);
        Assert.Equal(new long[] { 1, 2 }, results.Select(r => r.arrivals).Order());
    }

    [Fact]
    public void The_store_barrier_holds_each_rank_until_every_rank_arrives_and_can_be_passed_again()
    {
        var results = TwoRanks.Run((group, store) =>
        {
            var barrier = new AvDsl.Runtime.Distributed.StoreBarrier(store, 2);
            var seen = new List<long>();
            for (var round = 1; round <= 3; round++)
            {
                if (group.Rank == 1) Thread.Sleep(100); // rank 1 arrives late every time
                store.Add($"arrived/{round}", 1);
                barrier.Wait();
                seen.Add(store.Add($"arrived/{round}", 0)); // past the barrier: both have arrived
            }
            return seen;
        });
        Assert.All(results, seen => Assert.Equal(new long[] { 2, 2, 2 }, seen));
    }

    [Fact]
    public void A_store_barrier_that_one_rank_never_reaches_is_a_timeout_error()
    {
        var port = TwoRanks.FreePort();
        using var server = new TcpStore("127.0.0.1", port, isServer: true, worldSize: 1, TimeSpan.FromSeconds(1));
        var error = Assert.Throws<TorchException>(() => new AvDsl.Runtime.Distributed.StoreBarrier(server, 2).Wait());
        Assert.Equal("TcpStore.Get", error.Operation);
    }

    [Fact]
    public void A_rank_that_never_joins_is_a_timeout_error_not_a_hang()
    {
        var port = TwoRanks.FreePort();
        using var server = new TcpStore("127.0.0.1", port, isServer: true, worldSize: 2, TimeSpan.FromSeconds(2));
        var error = Assert.Throws<TorchException>(() => ProcessGroup.Gloo(server, 0, 2, TimeSpan.FromSeconds(2)));
        Assert.Equal("ProcessGroup.Gloo", error.Operation);
        Assert.Contains("rank 0 of 2", error.Message);
    }

    [Fact]
    public void Nobody_serving_the_store_is_a_clear_error()
    {
        var error = Assert.Throws<TorchException>(() => new TcpStore("127.0.0.1", TwoRanks.FreePort(), isServer: false, worldSize: 2, TimeSpan.FromSeconds(1)));
        Assert.Contains("TCPStore(127.0.0.1:", error.Message);
    }
}
