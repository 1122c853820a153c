using System.Diagnostics;
using AvDsl.Runtime.Data;

namespace AvDsl.DataBenchmarks;

/// <summary>Wraps a batch source and records how long each <see cref="Next"/> call blocked the trainer.</summary>
internal sealed class TimedBatchSource(IBatchSource inner) : IBatchSource, IDisposable
{
    public List<double> WaitMs { get; } = [];

    public Batch Next(int batchSize)
    {
        var clock = Stopwatch.StartNew();
        var batch = inner.Next(batchSize);
        WaitMs.Add(clock.Elapsed.TotalMilliseconds);
        return batch;
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
