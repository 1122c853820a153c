using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// Reconstruction targets for video: cuts [B, C, T, H, W] into tubelets (frames × height × width) in the token order of
/// <see cref="TubeletEmbed3d"/> (time, then rows, then columns), each flattened as VideoMAE does (frame, row, column
/// within the tubelet, channel last). With <c>normalize</c> each tubelet is standardised by its own mean and unbiased
/// variance (norm_pix_loss, as for <see cref="Patchify"/>). <see cref="Unpatchify"/> puts tubelets back.
/// </summary>
[Constraint("len(tubelet) == 3 and tubelet[0] > 0 and tubelet[1] > 0 and tubelet[2] > 0", "tubelet is [frames, height, width] of positive sizes")]
[Component("patchify_3d")]
public sealed class Patchify3d : Module, IPatchTarget
{
    public Patchify3d(int[] tubelet, bool normalize = true)
    {
        if (tubelet is not { Length: 3 } || tubelet.Any(t => t <= 0))
            throw new ArgumentException($"patchify_3d: tubelet must be [frames, height, width] of positive sizes, got [{string.Join(", ", tubelet ?? [])}].");
        Tubelet = [tubelet[0], tubelet[1], tubelet[2]];
        Normalize = normalize;
    }

    public int[] Tubelet { get; }
    public bool Normalize { get; }

    /// <summary>[B, C, T, H, W] → [B, N, t·h·w·C]</summary>
    [Constraint("T % tubelet[0] == 0 and H % tubelet[1] == 0 and W % tubelet[2] == 0", "the video must divide into whole tubelets")]
    [Shape("x: [B, C, T, H, W] -> [B, (T / tubelet[0]) * (H / tubelet[1]) * (W / tubelet[2]), tubelet[0] * tubelet[1] * tubelet[2] * C]")]
    public Tensor Forward(Tensor x)
    {
        using var scope = new TensorScope();
        var tubelets = Cut(x);
        return scope.MoveToOuter(Normalize ? Patchify.Standardised(tubelets) : tubelets);
    }

    /// <summary>[B, C, T, H, W] → [B, N, t·h·w·C], not standardised.</summary>
    public Tensor Cut(Tensor x)
    {
        var (batch, channels, frames, rows, cols) = Grid(x.Shape, x.Describe());
        var (t, h, w) = ((long)Tubelet[0], (long)Tubelet[1], (long)Tubelet[2]);
        using var scope = new TensorScope();
        var tubelets = x.Reshape(batch, channels, frames, t, rows, h, cols, w)   // [B, C, T/t, t, H/h, h, W/w, w]
            .Permute(0, 2, 4, 6, 3, 5, 7, 1)                                        // [B, T/t, H/h, W/w, t, h, w, C]
            .Reshape(batch, frames * rows * cols, t * h * w * channels);           // [B, N, t·h·w·C]
        return scope.MoveToOuter(tubelets);
    }

    /// <summary>[B, N, t·h·w·C] → [B, C, T, H, W] (<paramref name="shape"/>), the inverse of <see cref="Cut"/>.</summary>
    public Tensor Unpatchify(Tensor patches, long[] shape)
    {
        var (batch, channels, frames, rows, cols) = Grid(shape, $"[{string.Join(", ", shape)}]");
        var (t, h, w) = ((long)Tubelet[0], (long)Tubelet[1], (long)Tubelet[2]);
        var (count, size) = (frames * rows * cols, t * h * w * channels);
        if (patches.Shape is not [var b, var n, var p] || b != batch || n != count || p != size)
            throw new ArgumentException($"patchify_3d: cannot put {patches.Describe()} back into [{string.Join(", ", shape)}]; it needs [{batch}, {count}, {size}].");
        using var scope = new TensorScope();
        var x = patches.Reshape(batch, frames, rows, cols, t, h, w, channels)   // [B, T/t, H/h, W/w, t, h, w, C]
            .Permute(0, 7, 1, 4, 2, 5, 3, 6)                                       // [B, C, T/t, t, H/h, h, W/w, w]
            .Reshape(batch, channels, frames * t, rows * h, cols * w);            // [B, C, T, H, W]
        return scope.MoveToOuter(x);
    }

    public Tensor Unnormalize(Tensor prediction, Tensor x) => Normalize ? Patchify.Unstandardised(prediction, Cut(x)) : prediction.Alias();

    private (long Batch, long Channels, long Frames, long Rows, long Cols) Grid(long[] shape, string described)
    {
        var (t, h, w) = ((long)Tubelet[0], (long)Tubelet[1], (long)Tubelet[2]);
        if (shape.Length != 5 || shape[2] % t != 0 || shape[3] % h != 0 || shape[4] % w != 0)
            throw new ArgumentException($"patchify_3d: expected [B, C, T, H, W] divisible into {t}x{h}x{w} tubelets, got {described}.");
        return (shape[0], shape[1], shape[2] / t, shape[3] / h, shape[4] / w);
    }
}
