using AvDsl.Runtime.Diffusion;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// The reconstruction pass of a model with denoising decoders: each loss whose target passes through a
/// <see cref="DiffusionNoise"/> is sampled by DDIM from pure noise over <c>steps</c> steps (<see cref="DiffusionSampler"/>),
/// the flow run once per step with the generator reseeded, so that every step sees the masks of the first pass; the other losses are
/// one forward pass. One forward pass at a randomly drawn timestep would show how well the decoder denoises at that
/// level, not what the model generates.
/// </summary>
public static class DiffusionReconstruction
{
    public static ReconstructionPass Sampling(int steps, long seed) => (model, batch) =>
    {
        Torch.Torch.ManualSeed(seed);
        var once = model.Reconstruct(batch);
        var result = new Reconstruction[once.Length];
        for (var i = 0; i < once.Length; i++)
        {
            if (once[i].Noise is not DiffusionNoise noise)
            {
                result[i] = once[i];
                continue;
            }
            var term = i;
            var trajectory = DiffusionSampler.Sample(noise, once[i].Prediction.Shape, steps, () =>
            {
                Torch.Torch.ManualSeed(seed);
                return model.Reconstruct(batch)[term].Prediction;
            });
            // The mask of the first pass: a flow draws its masks before it noises the targets, so every step saw it.
            result[i] = once[i] with
            {
                Prediction = trajectory[^1].PredictedX0,
                Sampled = trajectory.Select(s => (s.Timestep, s.PredictedX0)).ToList(),
            };
        }
        return result;
    };
}
