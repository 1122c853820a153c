using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// The x_t and t that <see cref="DiffusionNoise.Fixed"/> makes its Forward return instead of drawing them: how a
/// sampler drives a trained model. The tensors stay their owner's.
/// </summary>
/// <param name="Timestep">Int64 [B], t of each sample in 0..T−1.</param>
/// <param name="Noised">[B, N, P] the x_t the decoder sees, the shape of the clean patches.</param>
public sealed record FixedNoise(Tensor Timestep, Tensor Noised);
