using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Cuts a spectrogram [B, T, F] (time frames × mel bins) or an image-like [B, C, T, F] into non-overlapping
/// patch × patch tiles and embeds each linearly (a Conv2d with stride = kernel = patch). Tokens come out
/// time-major: row-major over the (T / patch, F / patch) grid, the order <c>Objectives.Patchify</c>
/// and <see cref="SinCos2d"/> use. Weight initialised Xavier-uniform on its [dim, C·p·p] view, as MAE does.
/// </summary>
[Constraint("patch > 0 and dim > 0 and channels > 0", "patch, dim and channels must be positive")]
[Component("patch_embed_2d")]
public sealed class PatchEmbed2d : Module
{
    public PatchEmbed2d(int patch, int dim, int channels = 1)
    {
        if (patch <= 0 || dim <= 0 || channels <= 0)
            throw new ArgumentOutOfRangeException(nameof(patch), $"patch_embed_2d: patch, dim and channels must be positive (got {patch}, {dim}, {channels}).");
        Patch = patch;
        Channels = channels;
        Proj = new Conv2d(channels, dim, kernel: patch, stride: patch);
        using var scope = new TensorScope();
        Init.XavierUniform(Proj.Weight.View(dim, -1));
    }

    public int Patch { get; }
    public int Channels { get; }
    public Conv2d Proj { get; }

    /// <summary>[B, T, F] or [B, C, T, F] → [B, N, D], N = (T / patch)·(F / patch)</summary>
    [Constraint("T % patch == 0 and F % patch == 0", "the input must divide into whole patches")]
    [Shape("x: [B, T, F] -> [B, (T / patch) * (F / patch), dim]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length is not (3 or 4) || (shape.Length == 3 && Channels != 1) || (shape.Length == 4 && shape[1] != Channels))
            throw new ArgumentException($"patch_embed_2d: expected [B, T, F] (channels = 1) or [B, {Channels}, T, F], got {x.Describe()}.");
        var (frames, bins) = (shape[^2], shape[^1]);
        if (frames % Patch != 0 || bins % Patch != 0)
            throw new ArgumentException($"patch_embed_2d: input {x.Describe()} is not divisible into {Patch}x{Patch} patches.");

        using var scope = new TensorScope();
        var image = shape.Length == 3 ? x.Unsqueeze(1) : x;      // [B, C, T, F]
        var grid = Proj.Forward(image);                          // [B, D, T/p, F/p]
        var tokens = grid.Flatten(2).Transpose(1, 2);            // [B, N, D]
        return scope.MoveToOuter(tokens);
    }
}
