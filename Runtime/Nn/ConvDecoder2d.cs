using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// EAT's lightweight CNN decoder (data2vec 2.0's <c>Decoder2d</c>): tokens [B, N, D] laid back on their
/// (rows, cols) = grid, <c>layers</c> × ([Conv2d kernel×kernel, groups → LayerNorm without affine →
/// GELU] + residual), then a Linear D → D per token (initialised by <c>head_init</c>). Called from a spec with the encoder's visible tokens and their
/// <see cref="MaskedView"/>, it puts them back in place and fills the masked positions with N(0, noise²) noise, as
/// EAT does: no mask token and no position embedding.
/// </summary>
[Constraint("layers >= 1", "layers is at least 1")]
[Constraint("dim > 0 and groups > 0 and dim % groups == 0", "dim must be a positive multiple of groups")]
[Constraint("kernel >= 1 and kernel % 2 == 1", "kernel must be odd so that the grid keeps its size")]
[Constraint("len(grid) == 2 and grid[0] > 0 and grid[1] > 0", "grid is [rows, columns] of positive sizes")]
[Constraint("noise >= 0", "noise is a standard deviation")]
[Component("conv_decoder_2d")]
public sealed class ConvDecoder2d : Module
{
    public ConvDecoder2d(int layers, int dim, int kernel, int groups, int[] grid, double noise = 0.01, WeightInit headInit = WeightInit.Xavier)
    {
        if (layers <= 0)
            throw new ArgumentOutOfRangeException(nameof(layers), $"conv_decoder_2d: layers must be positive, got {layers}.");
        if (dim <= 0 || groups <= 0 || dim % groups != 0)
            throw new ArgumentException($"conv_decoder_2d: dim ({dim}) must be a positive multiple of groups ({groups}).");
        if (grid is not { Length: 2 } || grid[0] <= 0 || grid[1] <= 0)
            throw new ArgumentException($"conv_decoder_2d: grid must be [rows, cols] with positive sizes, got [{string.Join(", ", grid ?? [])}].");
        if (noise < 0 || double.IsNaN(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), $"conv_decoder_2d: noise must be a non-negative standard deviation, got {noise}.");
        Dim = dim;
        Noise = noise;
        Grid = [grid[0], grid[1]];
        Blocks = new ModuleList<ConvDecoderBlock2d>(Enumerable.Range(0, layers).Select(_ => new ConvDecoderBlock2d(dim, kernel, groups)));
        Proj = new Linear(dim, dim, init: headInit);
    }

    public int Dim { get; }
    public int[] Grid { get; }

    /// <summary>The standard deviation of the noise that fills masked positions (EAT: 0.01); 0 fills zeros.</summary>
    public double Noise { get; }

    /// <summary>N = grid[0]·grid[1], the full sequence length.</summary>
    public long Tokens => (long)Grid[0] * Grid[1];
    public ModuleList<ConvDecoderBlock2d> Blocks { get; }
    public Linear Proj { get; }

    /// <summary>visible [B, K, D] + its <see cref="MaskedView"/> → [B, N, D]: <see cref="Scatter"/>, then <see cref="Decode"/>.</summary>
    [Constraint("K <= grid[0] * grid[1]", "the visible tokens cannot outnumber the grid's cells")]
    [Shape("visible: [B, K, dim], view.keep_indices: [B, K] -> [B, grid[0] * grid[1], dim]")]
    public Tensor Forward(Tensor visible, MaskedView view)
    {
        using var scope = new TensorScope();
        return scope.MoveToOuter(Decode(Scatter(visible, view)));
    }

    /// <summary>
    /// visible [B, K, D] laid back at their original positions (<see cref="MaskedView.KeepIndices"/>) on the full
    /// [B, N, D] grid; every other position holds fresh N(0, noise²) noise drawn per sample.
    /// </summary>
    public Tensor Scatter(Tensor visible, MaskedView view)
    {
        var shape = visible.Shape;
        var keep = view.KeepIndices.Shape;
        if (shape.Length != 3 || shape[2] != Dim || keep.Length != 2 || keep[0] != shape[0] || keep[1] != shape[1] || shape[1] > Tokens)
            throw new ArgumentException(
                $"conv_decoder_2d: visible {visible.Describe()} and keep indices {view.KeepIndices.Describe()} do not fit [B, K, {Dim}] on a grid of {Tokens} tokens.");
        var batch = shape[0];

        using var scope = new TensorScope();
        long[] full = [batch, Tokens, Dim];
        var fill = Noise > 0
            ? SampleRandom.Normal(full, visible.Device).To(visible.DType) * Noise             // [B, N, D] masked positions, per sample
            : Torch.Torch.Zeros(full, visible.DType, visible.Device);
        var index = view.KeepIndices.Unsqueeze(-1).Expand(-1, -1, Dim);                     // [B, K, D]
        return scope.MoveToOuter(fill.Scatter(1, index, visible));                          // [B, N, D]
    }

    /// <summary>The decoder on the full grid: [B, rows·cols, D] → [B, rows·cols, D].</summary>
    public Tensor Decode(Tensor x)
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
