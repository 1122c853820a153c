using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// Deterministic DDIM (Song et al. 2021, η = 0) over a trained model's <see cref="DiffusionNoise"/>: start from pure noise
/// x ~ N(0, 1) at t = T−1 and visit S timesteps evenly spaced down to 0. At each, the noise module is
/// <see cref="DiffusionNoise.Fixed"/> to (t, x), the model predicts x̂0, and
/// x ← sqrt(ᾱ_t')·x̂0 + sqrt(1 − ᾱ_t')·ε̂ with ε̂ = (x − sqrt(ᾱ_t)·x̂0)/sqrt(1 − ᾱ_t) for the next timestep t'.
/// </summary>
public static class DiffusionSampler
{
    /// <summary>
    /// Runs the S steps without gradients and returns each one's t, x_t and x̂0, in the caller's scope; the last x̂0 is
    /// the sample. <paramref name="predictX0"/> runs the whole model (put it in eval mode first) while the noise module
    /// is fixed and returns the decoder's x0 prediction of <paramref name="shape"/>; it must see the same mask at every
    /// step (a fixed noise module draws nothing, so reseeding the generator before each call redraws the same mask). The
    /// module's own <see cref="DiffusionNoise.Fixed"/> is restored afterwards.
    /// </summary>
    /// <param name="shape">[B, N, P], the clean patches' shape.</param>
    /// <param name="steps">S, from 1 (one prediction from pure noise) to T.</param>
    public static IReadOnlyList<DdimStep> Sample(DiffusionNoise noise, long[] shape, int steps, Func<Tensor> predictX0, Device? device = null)
    {
        var schedule = noise.Schedule;
        var timesteps = Timesteps(schedule.Timesteps, steps);
        if (shape is not [var batch, _, _])
            throw new ArgumentException($"DDIM: expected the patches' shape [B, N, P], got [{string.Join(", ", shape)}].");

        var result = new List<DdimStep>(steps);
        var previous = noise.Fixed;
        using var noGrad = Torch.Torch.NoGrad();
        var x = Torch.Torch.Randn(shape, DType.Float32, device);                           // x_{T−1}: pure noise
        try
        {
            for (var i = 0; i < timesteps.Length; i++)
            {
                var t = timesteps[i];
                using var scope = new TensorScope();
                noise.Fixed = new FixedNoise(Torch.Torch.Full([batch], t, DType.Int64, device), x);
                var x0 = predictX0();
                if (!x0.Shape.AsSpan().SequenceEqual(shape))
                    throw new ArgumentException($"DDIM: the model predicted x0 as {x0.Describe()}, not [{string.Join(", ", shape)}].");
                result.Add(new DdimStep(t, x, scope.MoveToOuter(x0.Alias())));
                if (i + 1 == timesteps.Length)
                    break;
                var next = timesteps[i + 1];
                var epsilon = (x - schedule.SqrtAlphaBar(t) * x0) / schedule.SqrtOneMinusAlphaBar(t);
                x = scope.MoveToOuter(schedule.SqrtAlphaBar(next) * x0 + schedule.SqrtOneMinusAlphaBar(next) * epsilon);
            }
        }
        finally
        {
            noise.Fixed = previous;
        }
        return result;
    }

    /// <summary>The S timesteps visited, T−1 first and 0 last, evenly spaced (rounded): round(i·(T−1)/(S−1)) descending.</summary>
    public static int[] Timesteps(int timesteps, int steps)
    {
        if (steps < 1 || steps > timesteps)
            throw new ArgumentOutOfRangeException(nameof(steps), $"DDIM: steps must be in 1..{timesteps} (the schedule's T), got {steps}.");
        if (steps == 1)
            return [timesteps - 1];
        return Enumerable.Range(0, steps)
            .Select(i => (int)Math.Round((double)(steps - 1 - i) * (timesteps - 1) / (steps - 1), MidpointRounding.AwayFromZero))
            .ToArray();
    }
}
