using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>3-D convolution (time, height, width); PyTorch's default initialisation (kaiming-uniform a=√5, uniform bias).</summary>
public sealed class Conv3d : Module
{
    private readonly long[] _stride;
    private readonly long[] _padding;

    /// <param name="kernel">[kT, kH, kW]</param>
    /// <param name="stride">[sT, sH, sW]; null = 1</param>
    /// <param name="padding">[pT, pH, pW]; null = 0</param>
    public Conv3d(int inputs, int outputs, int[] kernel, int[]? stride = null, int[]? padding = null, int groups = 1, bool bias = true)
    {
        if (kernel is not { Length: 3 } || kernel.Any(k => k <= 0))
            throw new ArgumentException($"conv3d: kernel must be [kT, kH, kW] with positive sizes, got [{string.Join(", ", kernel ?? [])}].");
        if (groups <= 0 || inputs % groups != 0 || outputs % groups != 0)
            throw new ArgumentException($"conv3d: inputs ({inputs}) and outputs ({outputs}) must both be divisible by groups ({groups}).");
        _stride = (stride ?? [1, 1, 1]).Select(s => (long)s).ToArray();
        _padding = (padding ?? [0, 0, 0]).Select(p => (long)p).ToArray();
        if (_stride.Length != 3 || _padding.Length != 3)
            throw new ArgumentException("conv3d: stride and padding must have three entries (time, height, width).");
        Groups = groups;
        Weight = Parameter.Empty(outputs, inputs / groups, kernel[0], kernel[1], kernel[2]);
        Init.KaimingUniformDefault(Weight);
        if (bias)
        {
            Bias = Parameter.Empty(outputs);
            var bound = 1.0 / Math.Sqrt(inputs / groups * kernel[0] * kernel[1] * kernel[2]);
            Init.Uniform(Bias, -bound, bound);
        }
    }

    public int Groups { get; }

    /// <summary>[outputs, inputs / groups, kT, kH, kW]</summary>
    public Parameter Weight { get; }

    public Parameter? Bias { get; }

    /// <summary>[B, inputs, T, H, W] → [B, outputs, T', H', W']</summary>
    public Tensor Forward(Tensor x) => Functional.Conv3d(x, Weight, Bias, _stride, _padding, Groups);
}
