using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>Stops gradients: a loss on what is computed from <c>detach(x)</c> trains only the components after it. STELLA's matching
/// module learns from its own loss this way while the backbone that made its inputs is frozen for that loss. Generated code
/// computes x itself without a graph (<see cref="WithoutGradAttribute"/>), as PyTorch code would under <c>torch.no_grad()</c>.</summary>
public static class StopGradient
{
    /// <summary>The same values, cut from the graph (PyTorch's <c>x.detach()</c>).</summary>
    [Component("detach")]
    [WithoutGrad]
    [Shape("x: [*S] -> [*S]")]
    public static Tensor Detach(Tensor x) => x.Detach();
}
