using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Fixed 2-D sine-cosine position embedding for a (rows, cols) = (grid[0], grid[1]) token grid, tokens
/// row-major — MAE's <c>get_2d_sincos_pos_embed</c> (Audio-MAE's "flexible" variant for non-square grids),
/// without a CLS row. As in MAE's code, the first half of the channels encodes the column coordinate and
/// the second half the row coordinate; each half is [sin(pos·ω), cos(pos·ω)] with ω_k = 10000^(-k / (D/4)).
/// </summary>
[Constraint("dim > 0 and dim % 4 == 0", "dim must be a positive multiple of 4 (sine and cosine per axis)")]
[Constraint("len(grid) == 2 and grid[0] > 0 and grid[1] > 0", "grid is [rows, columns] of positive sizes")]
[Component("sincos_2d")]
public sealed class SinCos2d : PositionEmbedding
{
    public SinCos2d(int dim, int[] grid)
    {
        if (dim <= 0 || dim % 4 != 0)
            throw new ArgumentException($"sincos_2d: dim must be a positive multiple of 4, got {dim}.");
        if (grid is not { Length: 2 } || grid[0] <= 0 || grid[1] <= 0)
            throw new ArgumentException($"sincos_2d: grid must be [rows, cols] with positive sizes, got [{string.Join(", ", grid ?? [])}].");
        Dim = dim;
        Grid = [grid[0], grid[1]];
        Embedding = ModuleBuffer.FromArray(Table(dim, grid[0], grid[1]), 1, (long)grid[0] * grid[1], dim);
    }

    public int Dim { get; }
    public int[] Grid { get; }

    /// <summary>[1, rows·cols, dim]; saved in the state dict like MAE's frozen pos_embed.</summary>
    public ModuleBuffer Embedding { get; }

    /// <summary>→ [1, N, D] (a view of the fixed table; add it to [B, N, D] tokens).</summary>
    [Shape("-> [1, grid[0] * grid[1], dim]")]
    public override Tensor Forward() => Embedding.Alias();

    /// <summary>The table, row-major over tokens then channels.</summary>
    public static float[] Table(int dim, int rows, int cols)
    {
        var quarter = dim / 4;
        var omega = new double[quarter];
        for (var k = 0; k < quarter; k++)
            omega[k] = 1.0 / Math.Pow(10000.0, k / (double)quarter);

        var table = new float[rows * cols * dim];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < cols; c++)
        {
            var offset = (r * cols + c) * dim;
            for (var k = 0; k < quarter; k++)
            {
                // MAE builds its grid with np.meshgrid(w, h), so the "h" half actually sees the column index.
                table[offset + k] = (float)Math.Sin(c * omega[k]);
                table[offset + quarter + k] = (float)Math.Cos(c * omega[k]);
                table[offset + 2 * quarter + k] = (float)Math.Sin(r * omega[k]);
                table[offset + 3 * quarter + k] = (float)Math.Cos(r * omega[k]);
            }
        }
        return table;
    }
}
