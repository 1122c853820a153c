using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>PyTorch's <c>torch.nn.init</c>: in-place initialisers, run outside autograd, drawing from the seeded default generator.</summary>
public static class Init
{
    public static void Uniform(Tensor tensor, double low, double high)
    {
        using var _ = new GradModeScope(enabled: false);
        tensor.Uniform_(low, high);
    }

    public static void Normal(Tensor tensor, double mean = 0.0, double std = 1.0)
    {
        using var _ = new GradModeScope(enabled: false);
        tensor.Normal_(mean, std);
    }

    public static void Constant(Tensor tensor, double value)
    {
        using var _ = new GradModeScope(enabled: false);
        tensor.Fill_(value);
    }

    public static void Zeros(Tensor tensor) => Constant(tensor, 0.0);

    public static void Ones(Tensor tensor) => Constant(tensor, 1.0);

    /// <summary>Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); dims after the first two count as receptive field.</summary>
    public static void XavierUniform(Tensor tensor)
    {
        var (fanIn, fanOut) = Fans(tensor, "Init.XavierUniform");
        var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        Uniform(tensor, -bound, bound);
    }

    /// <summary>PyTorch's default for Linear/Conv weights: kaiming_uniform with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    public static void KaimingUniformDefault(Tensor tensor)
    {
        var (fanIn, _) = Fans(tensor, "Init.KaimingUniformDefault");
        var bound = 1.0 / Math.Sqrt(fanIn);
        Uniform(tensor, -bound, bound);
    }

    /// <summary>fan_in and fan_out as PyTorch computes them: [out, in, *kernel].</summary>
    public static (long FanIn, long FanOut) Fans(Tensor tensor, string operation = "Init.Fans")
    {
        var shape = tensor.Shape;
        if (shape.Length < 2)
            throw new ArgumentException($"{operation}: fan in/out needs at least 2 dimensions, got {tensor.Describe()}.");
        long receptive = 1;
        for (var i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }
}
