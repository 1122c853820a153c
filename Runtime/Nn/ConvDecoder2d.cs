using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// EAT's lightweight CNN decoder (data2vec 2.0's <c>Decoder2d</c>): tokens [B, N, D] laid back on their
/// (rows, cols) = grid, <paramref name="layers"/> × ([Conv2d kernel×kernel, groups → LayerNorm without affine →
/// GELU] + residual), then a Linear D → D per token. No mask token and no position embedding: the caller fills
/// masked positions (EAT uses N(0, 0.01²) noise).
/// </summary>
[Component("conv_decoder_2d")]
public sealed class ConvDecoder2d : Module
{
    public ConvDecoder2d(int layers, int dim, int kernel, int groups, int[] grid)
    {
        if (layers <= 0)
            throw new ArgumentOutOfRangeException(nameof(layers), $"conv_decoder_2d: layers must be positive, got {layers}.");
        if (dim <= 0 || groups <= 0 || dim % groups != 0)
            throw new ArgumentException($"conv_decoder_2d: dim ({dim}) must be a positive multiple of groups ({groups}).");
        if (grid is not { Length: 2 } || grid[0] <= 0 || grid[1] <= 0)
            throw new ArgumentException($"conv_decoder_2d: grid must be [rows, cols] with positive sizes, got [{string.Join(", ", grid ?? [])}].");
        Dim = dim;
        Grid = [grid[0], grid[1]];
        Blocks = new ModuleList<ConvDecoderBlock2d>(Enumerable.Range(0, layers).Select(_ => new ConvDecoderBlock2d(dim, kernel, groups)));
        Proj = new Linear(dim, dim);
    }

    public int Dim { get; }
    public int[] Grid { get; }
    public ModuleList<ConvDecoderBlock2d> Blocks { get; }
    public Linear Proj { get; }

    /// <summary>[B, rows·cols, D] → [B, rows·cols, D]</summary>
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] != (long)Grid[0] * Grid[1] || shape[2] != Dim)
            throw new ArgumentException($"conv_decoder_2d: expected [B, {Grid[0] * Grid[1]}, {Dim}] for grid [{Grid[0]}, {Grid[1]}], got {x.Describe()}.");
        var (batch, tokens) = (shape[0], shape[1]);
        using var scope = new TensorScope();
        var h = x.Transpose(1, 2).Reshape(batch, Dim, Grid[0], Grid[1]); // [B, D, rows, cols]
        foreach (var block in Blocks)
            h = block.Forward(h) + h;
        var back = h.Reshape(batch, Dim, tokens).Transpose(1, 2);         // [B, N, D]
        return scope.MoveToOuter(Proj.Forward(back));
    }
}
