using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>The contents of a .safetensors file: tensors in file order, and the <c>__metadata__</c> strings. Owns the tensors.</summary>
public sealed class SafeTensorsFile(OrderedDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata) : IDisposable
{
    public OrderedDictionary<string, Tensor> Tensors { get; } = tensors;

    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
            tensor.Dispose();
    }
}
