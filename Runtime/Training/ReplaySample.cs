using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// Samples drawn from a <see cref="ReplayBuffer"/>: one CPU tensor per field, [<see cref="Count"/>, ..field shape], row i
/// of every field from the same stored sample. The tensors are new (they share nothing with the buffer) and join the
/// caller's current <see cref="TensorScope"/> like any op's result; outside a scope, dispose the sample.
/// <para>
/// An empty sample (<see cref="IsEmpty"/>) comes from a buffer with nothing stored yet. Its tensors have batch size 0
/// and the fields' trailing shapes when the buffer knows them (declared at construction, or fixed by an earlier
/// <see cref="ReplayBuffer.Add(IReadOnlyDictionary{string, Tensor})"/>, also after <see cref="ReplayBuffer.Clear"/>); a buffer that never knew its fields
/// gives a sample with no fields, whose indexer explains that. Either way, check <see cref="IsEmpty"/> before adding a
/// replay loss: a mean over zero samples is NaN, and a weight of 0 does not hide it (0 · NaN = NaN).
/// </para>
/// </summary>
public sealed class ReplaySample : IDisposable
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    internal ReplaySample(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<int> slots)
    {
        _tensors = tensors;
        Slots = slots;
    }

    /// <summary>Samples drawn: min(n, the buffer's count).</summary>
    public int Count => Slots.Count;

    /// <summary>True when nothing was drawn: the buffer held nothing (no replay yet).</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The buffer rows drawn, in the order of the sample's rows (distinct).</summary>
    public IReadOnlyList<int> Slots { get; }

    /// <summary>The fields' names (none when the buffer was empty and never knew its fields).</summary>
    public IEnumerable<string> Fields => _tensors.Keys;

    /// <summary>The drawn rows of <paramref name="field"/>, [<see cref="Count"/>, ..field shape].</summary>
    public Tensor this[string field]
    {
        get
        {
            if (_tensors.TryGetValue(field, out var tensor))
                return tensor;
            if (_tensors.Count == 0)
                throw new InvalidOperationException(
                    $"The replay buffer was empty and has never stored a sample, so it does not know the shape of field '{field}'. " +
                    "Check ReplaySample.IsEmpty before using a replayed batch, or declare the buffer's fields when constructing it.");
            throw new KeyNotFoundException($"The replay buffer stores no field '{field}'; it stores: {string.Join(", ", _tensors.Keys)}.");
        }
    }

    /// <summary>The sample as a <see cref="Batch"/> (every field by name) to run a model on; it shares these tensors.</summary>
    public Batch ToBatch() => new(_tensors);

    /// <summary>Disposes the tensors (harmless when a scope already freed them).</summary>
    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
            tensor.Dispose();
    }
}
