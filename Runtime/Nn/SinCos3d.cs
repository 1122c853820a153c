using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Fixed 3-D sine-cosine position embedding for a (frames, rows, cols) = grid of tokens, time-major then
/// row-major (the order of <see cref="TubeletEmbed3d"/>). Our choice (the papers do not publish one): the first
/// 3/4 of the channels hold <see cref="SinCos2d"/>'s table for (rows, cols), the same for every frame, and the
/// last 1/4 a 1-D table of the frame index, [sin(t·ω), cos(t·ω)] with ω_k = 10000^(-k / (D/8)). dim must be a
/// multiple of 16.
/// </summary>
[Constraint("dim > 0 and dim % 16 == 0", "dim must be a positive multiple of 16")]
[Constraint("len(grid) == 3 and grid[0] > 0 and grid[1] > 0 and grid[2] > 0", "grid is [frames, rows, columns] of positive sizes")]
[Component("sincos_3d")]
public sealed class SinCos3d : PositionEmbedding
{
    public SinCos3d(int dim, int[] grid)
    {
        if (dim <= 0 || dim % 16 != 0)
            throw new ArgumentException($"sincos_3d: dim must be a positive multiple of 16, got {dim}.");
        if (grid is not { Length: 3 } || grid.Any(g => g <= 0))
            throw new ArgumentException($"sincos_3d: grid must be [frames, rows, cols] with positive sizes, got [{string.Join(", ", grid ?? [])}].");
        Dim = dim;
        Grid = [grid[0], grid[1], grid[2]];
        Embedding = ModuleBuffer.FromArray(Table(dim, grid[0], grid[1], grid[2]), 1, (long)grid[0] * grid[1] * grid[2], dim);
    }

    public int Dim { get; }
    public int[] Grid { get; }

    /// <summary>[1, frames·rows·cols, dim]</summary>
    public ModuleBuffer Embedding { get; }

    /// <summary>→ [1, N, D] (a view of the fixed table; add it to [B, N, D] tokens).</summary>
    [Shape("-> [1, grid[0] * grid[1] * grid[2], dim]")]
    public override Tensor Forward() => Embedding.Alias();

    /// <summary>The table, row-major over tokens then channels.</summary>
    public static float[] Table(int dim, int frames, int rows, int cols)
    {
        var spatialDim = dim * 3 / 4;
        var temporalHalf = (dim - spatialDim) / 2;
        var spatial = SinCos2d.Table(spatialDim, rows, cols);
        var table = new float[frames * rows * cols * dim];
        for (var t = 0; t < frames; t++)
        for (var s = 0; s < rows * cols; s++)
        {
            var offset = (t * rows * cols + s) * dim;
            Array.Copy(spatial, s * spatialDim, table, offset, spatialDim);
            for (var k = 0; k < temporalHalf; k++)
            {
                var omega = 1.0 / Math.Pow(10000.0, k / (double)temporalHalf);
                table[offset + spatialDim + k] = (float)Math.Sin(t * omega);
                table[offset + spatialDim + temporalHalf + k] = (float)Math.Cos(t * omega);
            }
        }
        return table;
    }
}
