using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>2-D convolution with square kernels; PyTorch's default initialisation (kaiming-uniform a=√5, uniform bias).</summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inputs, int outputs, int kernel, int stride = 1, int padding = 0, int groups = 1, bool bias = true)
    {
        if (inputs % groups != 0 || outputs % groups != 0)
            throw new ArgumentException($"conv2d: inputs ({inputs}) and outputs ({outputs}) must both be divisible by groups ({groups}).");
        Stride = stride;
        Padding = padding;
        Groups = groups;
        Weight = Parameter.Empty(outputs, inputs / groups, kernel, kernel);
        Init.KaimingUniformDefault(Weight);
        if (bias)
        {
            Bias = Parameter.Empty(outputs);
            var bound = 1.0 / Math.Sqrt(inputs / groups * kernel * kernel);
            Init.Uniform(Bias, -bound, bound);
        }
    }

    public int Stride { get; }
    public int Padding { get; }
    public int Groups { get; }

    /// <summary>[outputs, inputs / groups, kernel, kernel]</summary>
    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    /// <summary>[B, inputs, H, W] → [B, outputs, H', W']</summary>
    public Tensor Forward(Tensor x) => Functional.Conv2d(x, Weight, Bias, Stride, Padding, groups: Groups);
}
