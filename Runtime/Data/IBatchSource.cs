namespace AvDsl.Runtime.Data;

/// <summary>
/// Produces training batches, deterministic for a given seed, and can say where it stands and go back there, as
/// torchdata's stateful loaders do: a checkpoint stores <see cref="StateDict"/> (as strings, beside the spec) and a
/// resumed run hands it to <see cref="LoadStateDict"/>, after which <see cref="Next"/> yields exactly the batches
/// the interrupted run would have read next.
/// </summary>
public interface IBatchSource : IDisposable
{
    Batch Next(int batchSize);

    /// <summary>Examples in one pass (an epoch), or null when the source never runs out.</summary>
    int? Count { get; }

    /// <summary>Files found unusable so far (skipped, each with its reason).</summary>
    BadInputLog BadInputs { get; }

    /// <summary>Where the source stands: e.g. the epoch and index into that epoch's order, a host RNG's state.</summary>
    IReadOnlyDictionary<string, string> StateDict();

    /// <summary>Continues from a state <see cref="StateDict"/> returned (for the same data and seed); throws
    /// <see cref="ArgumentException"/> when a key is missing or malformed.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, string> state);
}
