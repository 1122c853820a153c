namespace AvDsl.Runtime.Training;

/// <summary>
/// A loss of the spec that reconstructs an input from its masked patches (<c>mse(a_pred[a_view.masked], a_target[a_view.masked])</c>
/// with <c>a_target = patchify(audio, …)</c>), as the generator recognised it; <see cref="SpecModel.Reconstruct"/> gives its
/// tensors for a batch. Names and expressions are as the spec writes them.
/// </summary>
/// <param name="Loss">The loss term.</param>
/// <param name="Input">The spec input whose patches are reconstructed.</param>
/// <param name="Prediction">The predicted patches (<c>a_pred</c>).</param>
/// <param name="Target">The target (<c>a_target</c>, or <c>noised.clean</c> for a denoising decoder).</param>
/// <param name="Mask">The mask both are selected with (<c>a_view.masked</c>).</param>
/// <param name="Noised">The flow value that noises the patches before the decoder sees them (a diffusion decoder, whose
/// picture a sampler draws in several steps), or null when the prediction is one forward pass's.</param>
public sealed record ReconstructionTerm(string Loss, string Input, string Prediction, string Target, string Mask, string? Noised = null);
