using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// Reconstruction targets for video: cuts [B, C, T, H, W] into tubelets (frames × height × width) in the token order of
/// <see cref="TubeletEmbed3d"/> (time, then rows, then columns), each flattened as VideoMAE does (frame, row, column
/// within the tubelet, channel last). With <c>normalize</c> each tubelet is standardised by its own mean and unbiased
/// variance (norm_pix_loss, as for <see cref="Patchify"/>).
/// </summary>
[Constraint("len(tubelet) == 3 and tubelet[0] > 0 and tubelet[1] > 0 and tubelet[2] > 0", "tubelet is [frames, height, width] of positive sizes")]
[Component("patchify_3d")]
public sealed class Patchify3d : Module
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
        var shape = x.Shape;
        var (t, h, w) = ((long)Tubelet[0], (long)Tubelet[1], (long)Tubelet[2]);
        if (shape.Length != 5 || shape[2] % t != 0 || shape[3] % h != 0 || shape[4] % w != 0)
            throw new ArgumentException($"patchify_3d: expected [B, C, T, H, W] divisible into {t}x{h}x{w} tubelets, got {x.Describe()}.");
        var (batch, channels, frames, rows, cols) = (shape[0], shape[1], shape[2] / t, shape[3] / h, shape[4] / w);

        using var scope = new TensorScope();
        var tubelets = x.Reshape(batch, channels, frames, t, rows, h, cols, w)   // [B, C, T/t, t, H/h, h, W/w, w]
            .Permute(0, 2, 4, 6, 3, 5, 7, 1)                                        // [B, T/t, H/h, W/w, t, h, w, C]
            .Reshape(batch, frames * rows * cols, t * h * w * channels);           // [B, N, t·h·w·C]
        return scope.MoveToOuter(Normalize ? Patchify.Standardised(tubelets) : tubelets);
    }
}
