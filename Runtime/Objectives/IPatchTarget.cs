using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// A component whose <c>Forward</c> cuts an input into the patches a reconstruction loss compares a prediction with
/// (<see cref="Patchify"/>, <see cref="Patchify3d"/>), and that can put patches back where they came from: what a
/// picture of a reconstruction needs (<see cref="Reconstruction"/>). The catalog marks such components, so the binder
/// knows a loss on their output reconstructs an input.
/// </summary>
public interface IPatchTarget
{
    /// <summary>Whether <c>Forward</c> standardises each patch by its own mean and variance (MAE's norm_pix_loss).</summary>
    bool Normalize { get; }

    /// <summary>The patches of <paramref name="x"/> [B, N, P] in <c>Forward</c>'s order, as they are (not standardised).</summary>
    Tensor Cut(Tensor x);

    /// <summary>The exact inverse of <see cref="Cut"/>: patches [B, N, P] put back into an input of shape <paramref name="shape"/>.</summary>
    Tensor Unpatchify(Tensor patches, long[] shape);

    /// <summary>
    /// A prediction of <c>Forward(x)</c> [B, N, P] in the units of <paramref name="x"/>: with <see cref="Normalize"/>,
    /// each patch scaled back by the standard deviation and shifted by the mean of <paramref name="x"/>'s own patch there
    /// (MAE's visualisation undoes norm_pix this way); unchanged without it.
    /// </summary>
    Tensor Unnormalize(Tensor prediction, Tensor x);
}
