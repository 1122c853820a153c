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
    public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed) => new Source(inputs, seed);

    private sealed class Source(IReadOnlyList<IClipFeatures> inputs, long seed) : IBatchSource
    {
        private readonly HostRandom _random = new(seed);

        public int? Count => null;
        public BadInputLog BadInputs { get; } = new(0);

        public Batch Next(int batchSize) => new(inputs.ToDictionary(input => input.Input, input =>
        {
            var shape = input.SampleShape;
            var values = new float[batchSize * shape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
                values[i] = (float)_random.Normal();
            return T.FromArray(values, [batchSize, .. shape.Select(d => (long)d)]);
        }));

        public IReadOnlyDictionary<string, string> StateDict() => new Dictionary<string, string> { ["random"] = _random.State.ToString() };

        public void LoadStateDict(IReadOnlyDictionary<string, string> state) => _random.State = HostRandomState.Parse(state["random"]);

        public void Dispose() { }
    }
}
