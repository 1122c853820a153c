using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>One step of <see cref="DiffusionSampler"/>: the timestep, the x_t the model saw and its prediction of x0.</summary>
/// <param name="Timestep">t of this step, from T−1 down to 0.</param>
/// <param name="Noised">[B, N, P] x_t (pure noise at the first step).</param>
/// <param name="PredictedX0">[B, N, P] the model's x̂0 at this step; the last step's is the sample.</param>
public sealed record DdimStep(int Timestep, Tensor Noised, Tensor PredictedX0);
