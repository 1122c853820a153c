using System.Diagnostics;
using AvDsl.Runtime.Data;

namespace AvDsl.DataBenchmarks;

/// <summary>Wraps a batch source and records how long each <see cref="Next"/> call blocked the trainer.</summary>
internal sealed class TimedBatchSource(IBatchSource inner) : IBatchSource
{
    public int? Count => inner.Count;
    public BadInputLog BadInputs => inner.BadInputs;
    public IReadOnlyDictionary<string, string> StateDict() => inner.StateDict();
    public void LoadStateDict(IReadOnlyDictionary<string, string> state) => inner.LoadStateDict(state);

    public List<double> WaitMs { get; } = [];

    public Batch Next(int batchSize)
    {
        var clock = Stopwatch.StartNew();
        var batch = inner.Next(batchSize);
        WaitMs.Add(clock.Elapsed.TotalMilliseconds);
        return batch;
    }

    public void Dispose() => inner.Dispose();
}
