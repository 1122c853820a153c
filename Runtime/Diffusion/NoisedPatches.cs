using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// What <see cref="DiffusionNoise"/> makes of clean patches: the patches, their noised copy and each sample's timestep.
/// </summary>
/// <param name="Clean">[B, N, P] x0, the patches as given (the decoder's target).</param>
/// <param name="Noised">[B, N, P] x_t = sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·ε.</param>
/// <param name="Timestep">Int64 [B], t of each sample in 0..T−1.</param>
public sealed record NoisedPatches(Tensor Clean, Tensor Noised, Tensor Timestep);
