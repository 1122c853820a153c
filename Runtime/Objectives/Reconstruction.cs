using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// What one reconstruction loss compared for a batch, enough to draw it: the input, the patches its mask hid, the
/// model's prediction for every patch, and the component that cut the input into patches (the loss's target is
/// <c>Patches.Forward(Input)</c>). A model gives one per reconstruction loss of its spec (<c>SpecModel.Reconstruct</c>).
/// </summary>
/// <param name="Loss">The loss term's name in the spec (<c>a_recon</c>).</param>
/// <param name="Input">The spec input the patches are cut from, as the model read it: [B, T, F] or [B, C, T, H, W].</param>
/// <param name="Mask">Bool [B, N], true where a patch was hidden from the encoder: the rows the loss compares.</param>
/// <param name="Prediction">[B, N, P], the predicted patches, in the target's units (standardised when the target is).</param>
/// <param name="Patches">The component that cut <paramref name="Input"/> into the loss's target.</param>
/// <param name="Noise">For a denoising decoder (the target is the clean patches of a noised value): the component that noised
/// them, which a sampler sets to each step's noise level before it runs the flow again; null when one pass predicts the patches.</param>
/// <param name="Sampled">For a sampled reconstruction: each sampling step's timestep and x0 prediction, from pure noise to
/// the last, which is <paramref name="Prediction"/>; null for one forward pass.</param>
public sealed record Reconstruction(string Loss, Tensor Input, Tensor Mask, Tensor Prediction, IPatchTarget Patches, Module? Noise = null,
    IReadOnlyList<(int Timestep, Tensor Prediction)>? Sampled = null)
{
    /// <summary>
    /// The input as the model would see it rebuilt, in the input's layout and units: visible patches pasted from the input,
    /// hidden ones from the prediction with norm_pix undone by the input's own patch statistics (as MAE's visualisation does).
    /// </summary>
    public Tensor Pasted()
    {
        using var scope = new TensorScope();
        var original = Patches.Cut(Input);                                      // [B, N, P]
        var predicted = Patches.Unnormalize(Prediction, Input);                 // [B, N, P]
        var pasted = Torch.Torch.Where(Mask.Unsqueeze(-1), predicted, original); // hidden: predicted; visible: as they were
        return scope.MoveToOuter(Patches.Unpatchify(pasted, Input.Shape));
    }

    /// <summary>The mask in the input's layout: 1 at every element of a hidden patch, 0 elsewhere (float32, the input's shape).</summary>
    public Tensor Hidden()
    {
        using var scope = new TensorScope();
        var original = Patches.Cut(Input);                                      // [B, N, P]
        var hidden = Mask.Unsqueeze(-1).To(DType.Float32).Expand(original.Shape); // [B, N, P]
        return scope.MoveToOuter(Patches.Unpatchify(hidden.Contiguous(), Input.Shape));
    }
}
