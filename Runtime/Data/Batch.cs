using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Data;

/// <summary>One training batch: a tensor per spec input, by input name (<c>batch["audio"]</c>).</summary>
public sealed class Batch(IReadOnlyDictionary<string, Tensor> inputs) : IDisposable
{
    private readonly IReadOnlyDictionary<string, Tensor> _inputs = inputs;

    public Tensor this[string input] =>
        _inputs.TryGetValue(input, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"The batch has no input '{input}'; it has: {string.Join(", ", _inputs.Keys)}.");

    public IEnumerable<string> Inputs => _inputs.Keys;

    /// <summary>Disposes the batch's tensors (harmless if a step's TensorScope already freed them).</summary>
    public void Dispose()
    {
        foreach (var tensor in _inputs.Values)
            tensor.Dispose();
    }
}
