using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// DiffMAE's forward process on patches: each sample draws a timestep t uniformly from 0..T−1 and noise ε ~ N(0, 1)
/// from the seeded default generator (t first, then ε), and gets x_t = sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·ε under the
/// <see cref="NoiseSchedule"/>. Setting <see cref="Fixed"/> makes Forward return a given x_t and t instead (a sampler
/// stepping a trained model); the clean patches are always the input.
/// </summary>
[Constraint("timesteps >= 2", "timesteps is T, the diffusion's length: at least 2")]
[Component("diffusion_noise")]
public sealed class DiffusionNoise : Module
{
    public DiffusionNoise(int timesteps = 1000, NoiseScheduleKind schedule = NoiseScheduleKind.Cosine) =>
        Schedule = new NoiseSchedule(schedule, timesteps);

    /// <summary>T and ᾱ_t, in double precision.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>When set, Forward returns these instead of drawing; null (the default) to train.</summary>
    public FixedNoise? Fixed { get; set; }

    /// <summary>clean [B, N, P] → the clean patches, x_t [B, N, P] and t [B].</summary>
    [Shape("clean: [B, N, P] -> clean: [B, N, P], noised: [B, N, P], timestep: [B]")]
    public NoisedPatches Forward(Tensor clean)
    {
        var shape = clean.Shape;
        if (shape.Length != 3)
            throw new ArgumentException($"diffusion_noise: expected clean patches [B, N, P], got {clean.Describe()}.");
        if (Fixed is { } given)
            return Given(clean, given);

        using var scope = new TensorScope();
        var timestep = SampleRandom.Integers(Schedule.Timesteps, shape[0], clean.Device);             // [B]
        var noise = SampleRandom.Normal(shape, clean.Device).To(clean.DType);                          // [B, N, P]
        var noised = Coefficient(Schedule.SqrtAlphaBar, timestep, clean) * clean + Coefficient(Schedule.SqrtOneMinusAlphaBar, timestep, clean) * noise;
        return new NoisedPatches(scope.MoveToOuter(clean.Alias()), scope.MoveToOuter(noised), scope.MoveToOuter(timestep));
    }

    // The per-sample factor [B, 1, 1] of the table f(0..T−1) (made in double, applied in float), looked up at t.
    private Tensor Coefficient(Func<int, double> f, Tensor timestep, Tensor like)
    {
        var table = new float[Schedule.Timesteps];
        for (var t = 0; t < table.Length; t++)
            table[t] = (float)f(t);
        return Torch.Torch.FromArray(table).To(like.Device).IndexSelect(0, timestep).Reshape(-1, 1, 1);
    }

    private NoisedPatches Given(Tensor clean, FixedNoise given)
    {
        var (shape, noised, timestep) = (clean.Shape, given.Noised, given.Timestep);
        if (!noised.Shape.AsSpan().SequenceEqual(shape) || timestep.Shape is not [var batch] || batch != shape[0] || timestep.DType != DType.Int64)
            throw new ArgumentException(
                $"diffusion_noise: the fixed x_t {noised.Describe()} and t {timestep.Describe()} do not fit clean patches {clean.Describe()} (x_t of the same shape, t Int64 [B]).");
        return new NoisedPatches(clean.Alias(), noised.Alias(), timestep.Alias());
    }
}
