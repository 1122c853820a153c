using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// Reconstruction targets: cuts [B, T, F] into patch × patch tiles in the token order of
/// <see cref="PatchEmbed2d"/> (time-major), each flattened row-major (time within the patch, then frequency).
/// With <c>normalize</c> each patch is standardised by its own mean and unbiased variance (MAE's
/// norm_pix_loss: (x - mean) / sqrt(var + 1e-6)). <see cref="Unpatchify"/> puts patches back.
/// </summary>
[Constraint("patch > 0", "patch must be positive")]
[Component("patchify")]
public sealed class Patchify : Module, IPatchTarget
{
    private const double Eps = 1e-6;

    public Patchify(int patch, bool normalize = true)
    {
        if (patch <= 0)
            throw new ArgumentOutOfRangeException(nameof(patch), $"patchify: patch must be positive, got {patch}.");
        Patch = patch;
        Normalize = normalize;
    }

    public int Patch { get; }
    public bool Normalize { get; }

    /// <summary>[B, T, F] → [B, N, patch²]</summary>
    [Constraint("T % patch == 0 and F % patch == 0", "the input must divide into whole patches")]
    [Shape("x: [B, T, F] -> [B, (T / patch) * (F / patch), patch * patch]")]
    public Tensor Forward(Tensor x)
    {
        using var scope = new TensorScope();
        var patches = Cut(x);
        return scope.MoveToOuter(Normalize ? Standardised(patches) : patches);
    }

    /// <summary>[B, T, F] → [B, N, patch²], not standardised.</summary>
    public Tensor Cut(Tensor x)
    {
        var (batch, rows, cols) = Grid(x.Shape, x.Describe());
        using var scope = new TensorScope();
        var patches = x.Reshape(batch, rows, Patch, cols, Patch)   // [B, T/p, p, F/p, p]
            .Permute(0, 1, 3, 2, 4)                                   // [B, T/p, F/p, p, p]
            .Reshape(batch, rows * cols, (long)Patch * Patch);        // [B, N, p²]
        return scope.MoveToOuter(patches);
    }

    /// <summary>[B, N, patch²] → [B, T, F] (<paramref name="shape"/>), the inverse of <see cref="Cut"/> (MAE's unpatchify).</summary>
    public Tensor Unpatchify(Tensor patches, long[] shape)
    {
        var (batch, rows, cols) = Grid(shape, $"[{string.Join(", ", shape)}]");
        if (patches.Shape is not [var b, var n, var p] || b != batch || n != rows * cols || p != (long)Patch * Patch)
            throw new ArgumentException($"patchify: cannot put {patches.Describe()} back into [{string.Join(", ", shape)}]; it needs [{batch}, {rows * cols}, {(long)Patch * Patch}].");
        using var scope = new TensorScope();
        var x = patches.Reshape(batch, rows, cols, Patch, Patch)   // [B, T/p, F/p, p, p]
            .Permute(0, 1, 3, 2, 4)                                   // [B, T/p, p, F/p, p]
            .Reshape(batch, rows * Patch, cols * Patch);              // [B, T, F]
        return scope.MoveToOuter(x);
    }

    public Tensor Unnormalize(Tensor prediction, Tensor x) => Normalize ? Unstandardised(prediction, Cut(x)) : prediction.Alias();

    private (long Batch, long Rows, long Cols) Grid(long[] shape, string described) =>
        shape.Length == 3 && shape[1] % Patch == 0 && shape[2] % Patch == 0
            ? (shape[0], shape[1] / Patch, shape[2] / Patch)
            : throw new ArgumentException($"patchify: expected [B, T, F] divisible into {Patch}x{Patch} patches, got {described}.");

    /// <summary>Each patch (last dimension) standardised by its own mean and unbiased variance: MAE's norm_pix_loss.</summary>
    internal static Tensor Standardised(Tensor patches)
    {
        using var scope = new TensorScope();
        var mean = patches.Mean(-1, keepDim: true);
        var variance = patches.Var(-1, unbiased: true, keepDim: true);
        return scope.MoveToOuter((patches - mean) / (variance + Eps).Sqrt());
    }

    /// <summary>The inverse of <see cref="Standardised"/> with the statistics of <paramref name="reference"/>'s patches:
    /// standardised values back in the units of the patches they were (or would be) made from.</summary>
    internal static Tensor Unstandardised(Tensor standardised, Tensor reference)
    {
        using var scope = new TensorScope();
        var mean = reference.Mean(-1, keepDim: true);
        var variance = reference.Var(-1, unbiased: true, keepDim: true);
        return scope.MoveToOuter(standardised * (variance + Eps).Sqrt() + mean);
    }
}
