using AvDsl.Runtime.Data;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.EndToEnd.Tests;

/// <summary>
/// A data source for specs of any inputs (audio and video alike): every input of a batch is standard normal noise of
/// that input's per-sample shape, drawn from a seeded host generator. For tests that need a model to run at its real
/// shapes, not to learn.
/// </summary>
internal sealed record RandomInputs : IDataSource
{
    public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => new Source(inputs, seed, shard);

    // A rank draws every rank's rows and keeps its own, so the ranks' batches together are one process's.
    private sealed class Source(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) : IBatchSource
    {
        private readonly HostRandom _random = new(seed);

        public int? Count => null;
        public BadInputLog BadInputs { get; } = new(0);

        public Batch Next(int batchSize) => new(inputs.ToDictionary(input => input.Input, input =>
        {
            var shape = input.SampleShape;
            var size = shape.Aggregate(1, (a, b) => a * b);
            var values = new float[batchSize * size];
            for (var row = 0; row < batchSize * shard.Count; row++)
                for (var i = 0; i < size; i++)
                {
                    var value = (float)_random.Normal();
                    if (shard.Holds(row)) values[row / shard.Count * size + i] = value;
                }
            return T.FromArray(values, [batchSize, .. shape.Select(d => (long)d)]);
        }));

        public IReadOnlyDictionary<string, string> StateDict() => new Dictionary<string, string> { ["random"] = _random.State.ToString() };

        public void LoadStateDict(IReadOnlyDictionary<string, string> state) => _random.State = HostRandomState.Parse(state["random"]);

        public void Dispose() { }
    }
}
