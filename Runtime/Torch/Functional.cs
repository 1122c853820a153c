namespace AvDsl.Runtime.Torch;

/// <summary>PyTorch's <c>torch.nn.functional</c>: stateless layers, activations and losses.</summary>
public static class Functional
{
    /// <summary>x Wᵀ + b; x [..., in], weight [out, in], bias [out].</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Aten.Linear.Call(input, weight, bias);

    /// <summary>2-D convolution; input [B, C, H, W], weight [out, C / groups, kH, kW].</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Aten.Conv2d.Call(input, weight, bias, stride, padding, dilation, groups);

    /// <summary>Conv2d with per-dimension (height, width) stride and padding.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, int groups = 1) =>
        Aten.Conv2d.Call(input, weight, bias, stride, padding, 1, groups);

    /// <summary>Normalises over the trailing <paramref name="normalizedShape"/> dims, then scales and shifts if given.</summary>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Aten.LayerNorm.Call(input, normalizedShape, weight, bias, eps);

    public static Tensor Gelu(Tensor input, string approximate = "none") => Aten.Gelu.Call(input, approximate);

    public static Tensor Relu(Tensor input) => Aten.Relu.Call(input);

    public static Tensor Softmax(Tensor input, long dim) => Aten.Softmax.Call(input, dim);

    public static Tensor LogSoftmax(Tensor input, long dim) => Aten.LogSoftmax.Call(input, dim);

    /// <summary>Zeroes elements with probability <paramref name="p"/> and rescales the rest, when training.</summary>
    public static Tensor Dropout(Tensor input, double p, bool training) =>
        p == 0.0 || !training ? Aten.Alias.Call(input) : Aten.Dropout.Call(input, p, training);

    /// <summary>Mean squared error over all elements; the shapes must match (no silent broadcasting).</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        var p = prediction.Shape;
        var t = target.Shape;
        if (!p.AsSpan().SequenceEqual(t))
            throw new ArgumentException(
                $"mse_loss: prediction {prediction.Describe()} and target {target.Describe()} have different shapes.");
        return Aten.MseLoss.Call(prediction, target);
    }

    /// <summary>softmax(q kᵀ / sqrt(d)) v over the last two dims; q [..., Nq, d], k [..., Nk, d], v [..., Nk, dv].</summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value)
    {
        var scale = 1.0 / Math.Sqrt(query.Size(-1));
        using var scope = new TensorScope();
        var scores = query.Matmul(key.Transpose(-2, -1)) * scale; // [..., Nq, Nk]
        var attention = scores.Softmax(-1);
        return scope.MoveToOuter(attention.Matmul(value));
    }
}
