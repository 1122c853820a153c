namespace AvDsl.Benchmarks;

/// <summary>
/// The AvDsl side of a side-by-side benchmark (<see cref="SideBySide"/>): a generated spec's training step, as
/// <see cref="Runtime.Training.Trainer"/> takes it, on a fixed batch.
/// </summary>
internal interface IAvDslStep : IDisposable
{
    /// <summary>Parameters the optimizer trains.</summary>
    long TrainedParameters { get; }

    /// <summary>Runs <paramref name="warmup"/> untimed then <paramref name="timed"/> timed training steps; returns milliseconds per timed step.</summary>
    List<double> Steps(int warmup, int timed);

    /// <summary>Milliseconds per phase, summed over <paramref name="steps"/> steps, phases named as the PyTorch script names its own.</summary>
    Dictionary<string, double> Phases(int steps);
}
