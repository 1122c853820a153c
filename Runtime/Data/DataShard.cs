namespace AvDsl.Runtime.Data;

/// <summary>
/// The part of every epoch one data-parallel rank reads (PyTorch's DistributedSampler): rank r of N takes the positions
/// r, r + N, r + 2N, … of the epoch's shuffled order, so the N ranks' i-th clips together are what one process would read
/// as the global batch's rows iN … iN + N − 1. The order is the same on every rank (seeded by seed and epoch).
/// </summary>
public sealed record DataShard(int Rank, int Count)
{
    /// <summary>All of the data: one process.</summary>
    public static DataShard Whole { get; } = new(0, 1);

    public bool Holds(long position) => position % Count == Rank;

    /// <summary>"rank r of N" for messages.</summary>
    public override string ToString() => $"rank {Rank} of {Count}";
}
