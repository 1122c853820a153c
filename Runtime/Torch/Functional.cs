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

    /// <summary>
    /// softmax(q kᵀ / √d + mask) v over the last two dims; q [..., Nq, d], k [..., Nk, d], v [..., Nk, dv].
    /// <paramref name="mask"/> is bool (true = attend) or float (added to the scores), broadcast to [..., Nq, Nk].
    /// Runs libtorch's fused op: the public <c>scaled_dot_product_attention</c> on 2.x, the private
    /// <c>_scaled_dot_product_attention</c> on 1.13, resolved by name at first use.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? mask = null, double dropout = 0.0, bool isCausal = false)
    {
        if (query.Dim < 2 || key.Dim != query.Dim || value.Dim != query.Dim || query.Size(-1) != key.Size(-1) || key.Size(-2) != value.Size(-2))
            throw new ArgumentException(
                $"scaled_dot_product_attention: expected q [..., Nq, d], k [..., Nk, d], v [..., Nk, dv]; got q {query.Describe()}, k {key.Describe()}, v {value.Describe()}.");
        if (dropout < 0 || dropout >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropout), $"scaled_dot_product_attention: dropout must be in [0, 1), got {dropout}.");
        return SdpaKind.Value switch
        {
            SdpaOp.Public => Aten.SdpaPublic.Call(query, key, value, mask, dropout, isCausal),
            SdpaOp.Private => Aten.SdpaPrivate.CallFirst(2, query, key, value, mask, dropout, false, isCausal),
            _ => throw new NotSupportedException($"scaled_dot_product_attention: libtorch {Torch.Version} registers neither aten::scaled_dot_product_attention nor aten::_scaled_dot_product_attention."),
        };
    }

    /// <summary>Which fused attention operator this libtorch registers (public first).</summary>
    public static string SdpaOperator => SdpaKind.Value switch
    {
        SdpaOp.Public => Aten.SdpaPublic.Name,
        SdpaOp.Private => Aten.SdpaPrivate.Name,
        _ => "none",
    };

    private enum SdpaOp { None, Public, Private }

    private static readonly Lazy<SdpaOp> SdpaKind = new(() =>
        Aten.SdpaPublic.TryResolve() ? SdpaOp.Public : Aten.SdpaPrivate.TryResolve() ? SdpaOp.Private : SdpaOp.None);

    /// <summary>1-D convolution; input [B, C, L], weight [out, C / groups, k].</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Aten.Conv1d.Call(input, weight, bias, stride, padding, dilation, groups);

    /// <summary>3-D convolution; input [B, C, T, H, W], weight [out, C / groups, kT, kH, kW]; per-dimension stride and padding.</summary>
    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, int groups = 1) =>
        Aten.Conv3d.Call(input, weight, bias, stride, padding, 1, groups);

    /// <summary>Conv3d with the same stride and padding in every dimension.</summary>
    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Aten.Conv3d.Call(input, weight, bias, stride, padding, dilation, groups);

    /// <summary>
    /// Instance normalisation: each (sample, channel) of [B, C, *] normalised over the remaining dims with
    /// biased variance, then scaled and shifted per channel if given (no running statistics).
    /// </summary>
    public static Tensor InstanceNorm(Tensor input, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        if (input.Dim < 3)
            throw new ArgumentException($"instance_norm: expected [B, C, *] with at least one normalised dim, got {input.Describe()}.");
        return Aten.InstanceNorm.Call(input, weight, bias, OpArg.None, OpArg.None, true, 0.0, eps, false);
    }

    public static Tensor Silu(Tensor input) => Aten.Silu.Call(input);

    public static Tensor Tanh(Tensor input) => Aten.Tanh.Call(input);

    /// <summary>
    /// Cross entropy of logits [N, C] (or [N, C, *]) against class indices (Int64 [N]) or class probabilities
    /// (same shape as the logits), with optional label smoothing — PyTorch's <c>F.cross_entropy</c>.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0, long ignoreIndex = -100) =>
        Aten.CrossEntropy.Call(logits, target, OpArg.None, (long)reduction, ignoreIndex, labelSmoothing);

    /// <summary>Binary cross entropy on logits (numerically stable sigmoid + BCE); shapes must match.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
    {
        if (!logits.Shape.AsSpan().SequenceEqual(target.Shape))
            throw new ArgumentException($"binary_cross_entropy_with_logits: logits {logits.Describe()} and target {target.Describe()} have different shapes.");
        return Aten.BceWithLogits.Call(logits, target, OpArg.None, posWeight, (long)reduction);
    }

    /// <summary>x₁·x₂ / max(‖x₁‖‖x₂‖, eps) along <paramref name="dim"/> (inputs broadcast).</summary>
    public static Tensor CosineSimilarity(Tensor x1, Tensor x2, long dim = 1, double eps = 1e-8) =>
        Aten.CosineSimilarity.Call(x1, x2, dim, eps);

    /// <summary>x / max(‖x‖_p, eps) along <paramref name="dim"/> — PyTorch's <c>F.normalize</c>.</summary>
    public static Tensor Normalize(Tensor input, double p = 2.0, long dim = 1, double eps = 1e-12)
    {
        using var scope = new TensorScope();
        var norm = input.Norm(p, [dim], keepDim: true).Clamp(min: eps);
        return scope.MoveToOuter(input / norm);
    }

    /// <summary>Einstein summation, e.g. <c>Einsum("bhqd,bhkd->bhqk", q, k)</c>.</summary>
    public static Tensor Einsum(string equation, params Tensor[] operands) => Aten.Einsum.Call(equation, operands.ToArray<Tensor?>());
}
