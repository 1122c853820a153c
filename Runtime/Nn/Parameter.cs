using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// A trainable tensor owned by a module (PyTorch's <c>nn.Parameter</c>): a leaf that requires grad, discovered
/// by <see cref="Module.Parameters"/>, never freed by a <see cref="TensorScope"/> — its module disposes it.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s values (shared, detached from any graph) as a parameter.</summary>
    public Parameter(Tensor data, bool requiresGrad = true) : base(data)
    {
        if (requiresGrad)
            RequiresGrad = true;
    }

    internal Parameter(IntPtr handle, bool requiresGrad) : base(handle, joinScope: false)
    {
        if (requiresGrad)
            RequiresGrad = true;
    }

    /// <summary>An uninitialised parameter of <paramref name="shape"/>; fill it with <see cref="Init"/>.</summary>
    public static Parameter Empty(params long[] shape) => Wrap(() => Torch.Torch.Empty(shape));

    public static Parameter Zeros(params long[] shape) => Wrap(() => Torch.Torch.Zeros(shape));

    public static Parameter Ones(params long[] shape) => Wrap(() => Torch.Torch.Ones(shape));

    // The freshly made tensor lives in a scope of its own; the parameter keeps its data.
    private static Parameter Wrap(Func<Tensor> create)
    {
        using var scope = new TensorScope();
        return new Parameter(create());
    }
}
