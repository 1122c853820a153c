using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Cuts a video [B, C, T, H, W] into non-overlapping tubelets (frames × height × width, MAViL: 2×16×16) and embeds
/// each linearly (a Conv3d with stride = kernel). Tokens come out time-major, then row-major over the spatial grid:
/// token n = (t·H' + h)·W' + w, the order <see cref="SinCos3d"/> uses. Weight Xavier-uniform on its [dim, C·kT·kH·kW]
/// view, as MAE-ST does.
/// </summary>
[Constraint("len(tubelet) == 3 and tubelet[0] > 0 and tubelet[1] > 0 and tubelet[2] > 0", "tubelet is [frames, height, width] of positive sizes")]
[Constraint("dim > 0 and channels > 0", "dim and channels must be positive")]
[Component("tubelet_embed_3d")]
public sealed class TubeletEmbed3d : Module
{
    public TubeletEmbed3d(int[] tubelet, int dim, int channels = 3)
    {
        if (tubelet is not { Length: 3 } || tubelet.Any(t => t <= 0) || dim <= 0 || channels <= 0)
            throw new ArgumentException(
                $"tubelet_embed_3d: tubelet must be [frames, height, width] and dim, channels positive (got [{string.Join(", ", tubelet ?? [])}], {dim}, {channels}).");
        Tubelet = [tubelet[0], tubelet[1], tubelet[2]];
        Channels = channels;
        Proj = new Conv3d(channels, dim, Tubelet, stride: Tubelet);
        using var scope = new TensorScope();
        Init.XavierUniform(Proj.Weight.View(dim, -1));
    }

    public int[] Tubelet { get; }
    public int Channels { get; }
    public Conv3d Proj { get; }

    /// <summary>[B, C, T, H, W] → [B, N, D], N = (T / kT)·(H / kH)·(W / kW)</summary>
    [Constraint("T % tubelet[0] == 0 and H % tubelet[1] == 0 and W % tubelet[2] == 0", "the video must divide into whole tubelets")]
    [Shape("x: [B, channels, T, H, W] -> [B, (T / tubelet[0]) * (H / tubelet[1]) * (W / tubelet[2]), dim]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 5 || shape[1] != Channels)
            throw new ArgumentException($"tubelet_embed_3d: expected [B, {Channels}, T, H, W], got {x.Describe()}.");
        if (shape[2] % Tubelet[0] != 0 || shape[3] % Tubelet[1] != 0 || shape[4] % Tubelet[2] != 0)
            throw new ArgumentException($"tubelet_embed_3d: input {x.Describe()} is not divisible into {Tubelet[0]}x{Tubelet[1]}x{Tubelet[2]} tubelets.");
        using var scope = new TensorScope();
        var grid = Proj.Forward(x);                          // [B, D, T', H', W']
        return scope.MoveToOuter(grid.Flatten(2).Transpose(1, 2)); // [B, N, D]
    }
}
