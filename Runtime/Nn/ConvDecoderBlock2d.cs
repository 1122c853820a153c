using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// One EAT / data2vec 2.0 decoder layer on a [B, D, H, W] grid: Conv2d (kernel k, "same" padding, groups) →
/// LayerNorm without affine over the channels → GELU. The residual is added by <see cref="ConvDecoder2d"/>.
/// </summary>
public sealed class ConvDecoderBlock2d : Module
{
    private readonly long[] _channels;

    public ConvDecoderBlock2d(int dim, int kernel, int groups)
    {
        if (kernel <= 0 || kernel % 2 == 0)
            throw new ArgumentException($"conv_decoder_2d: kernel must be odd and positive (\"same\" padding), got {kernel}.");
        Conv = new Conv2d(dim, dim, kernel, padding: kernel / 2, groups: groups);
        _channels = [dim];
    }

    public Conv2d Conv { get; }

    /// <summary>[B, D, H, W] → [B, D, H, W]</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = new TensorScope();
        var h = Conv.Forward(x).Permute(0, 2, 3, 1);                  // [B, H, W, D]
        h = Functional.LayerNorm(h, _channels).Permute(0, 3, 1, 2);   // [B, D, H, W], no affine, eps 1e-5
        return scope.MoveToOuter(h.Gelu());
    }
}
