namespace AvDsl.Runtime.Data;

/// <summary>
/// A batch source that can say where it stands and go back there, as torchdata's stateful loaders do: a
/// checkpoint stores <see cref="StateDict"/> (as strings, beside the spec) and a resumed run hands it to
/// <see cref="LoadStateDict"/>, after which <see cref="IBatchSource.Next"/> yields exactly the batches the
/// interrupted run would have read next.
/// </summary>
public interface IStatefulBatchSource : IBatchSource
{
    /// <summary>Where the source stands: e.g. the epoch and index into that epoch's order, a host RNG's state.</summary>
    IReadOnlyDictionary<string, string> StateDict();

    /// <summary>Continues from a state <see cref="StateDict"/> returned (for the same data and seed); throws
    /// <see cref="ArgumentException"/> when a key is missing or malformed.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, string> state);
}
