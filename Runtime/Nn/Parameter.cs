using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// A trainable tensor owned by a module (PyTorch's <c>nn.Parameter</c>): a leaf that requires grad, discovered
/// by <see cref="Module.Parameters"/>, never freed by a <see cref="TensorScope"/> — its module disposes it.
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s values (shared, detached from any graph) as a parameter.</summary>
    public Parameter(Tensor data, bool requiresGrad = true) : base(Aten.Detach.CallRaw(data), joinScope: false)
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
    public static Parameter Empty(params long[] shape) => new(Aten.Empty.CallRaw(shape, DType.Float32), requiresGrad: true);

    public static Parameter Zeros(params long[] shape) => new(Aten.Zeros.CallRaw(shape, DType.Float32), requiresGrad: true);

    public static Parameter Ones(params long[] shape) => new(Aten.Ones.CallRaw(shape, DType.Float32), requiresGrad: true);
}
