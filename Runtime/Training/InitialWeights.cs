using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>A copy of a model's weights as first made, to start a stage from them again (<c>carry</c> without <c>model</c>).</summary>
internal sealed class InitialWeights : IDisposable
{
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);

    public InitialWeights(Module model)
    {
        using var scope = new TensorScope();
        foreach (var (key, tensor) in model.StateDict())
            _weights[key] = tensor.Clone().MoveToOuterScope();
    }

    public void Restore(Module model) => model.LoadStateDict(_weights);

    public void Dispose()
    {
        foreach (var tensor in _weights.Values)
            tensor.Dispose();
    }
}
