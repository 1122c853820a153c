namespace AvDsl.Runtime.Nn;

/// <summary>
/// This process's rows of a data-parallel step's global batch: rank r of N holds the global samples r, r + N, r + 2N, …
/// (PyTorch's DistributedSampler shard). Set around a training step (<see cref="Use"/>) so that what depends on the
/// whole batch reads it here: per-sample random numbers (<see cref="SampleRandom"/>) and a summed loss, whose per-rank
/// sum is scaled by N so that averaged gradients are the global sum's.
/// </summary>
public sealed record BatchShare(int Rank, int World, long Samples)
{
    [ThreadStatic] private static BatchShare? _current;

    /// <summary>The share set for this thread's step, or null outside a training step.</summary>
    public static BatchShare? Current => _current;

    /// <summary>The global index of this share's sample <paramref name="local"/>.</summary>
    public long GlobalSample(long local) => local * World + Rank;

    /// <summary>The share for the rest of the step; disposing restores the one before.</summary>
    public IDisposable Use()
    {
        if (Rank < 0 || Rank >= World || Samples < 1)
            throw new ArgumentOutOfRangeException(nameof(Rank), $"batch share: rank {Rank} of {World} with {Samples} samples is not a share.");
        var outer = _current;
        _current = this;
        return new Restore(outer);
    }

    private sealed class Restore(BatchShare? outer) : IDisposable
    {
        public void Dispose() => _current = outer;
    }
}
