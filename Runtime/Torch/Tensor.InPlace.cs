namespace AvDsl.Runtime.Torch;

/// <summary>
/// PyTorch's in-place ops (trailing underscore, as in <c>tensor.uniform_()</c>): they overwrite this tensor's
/// values and return it. Autograd sees them like any op; initialisers and optimizers run them under
/// <see cref="Torch.NoGrad"/>.
/// </summary>
public partial class Tensor
{
    /// <summary>Fills with U(low, high) draws from the default generator.</summary>
    public Tensor Uniform_(double low = 0.0, double high = 1.0)
    {
        Aten.Uniform_.CallInPlace(this, low, high);
        return this;
    }

    /// <summary>Fills with N(mean, std²) draws from the default generator.</summary>
    public Tensor Normal_(double mean = 0.0, double std = 1.0)
    {
        Aten.Normal_.CallInPlace(this, mean, std);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor Fill_(double value)
    {
        Aten.Fill_.CallInPlace(this, value);
        return this;
    }

    /// <summary>Multiplies every element by <paramref name="value"/>.</summary>
    public Tensor Mul_(double value)
    {
        Aten.Mul_.CallInPlace(this, value);
        return this;
    }
}
