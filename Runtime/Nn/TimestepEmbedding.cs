using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// DiT's / ADM's timestep embedder: sinusoidal features of the diffusion step t (<see cref="Sinusoid"/>, 256 of them)
/// → Linear(256, dim) → SiLU → Linear(dim, dim). A diffusion decoder adds it to its tokens.
/// </summary>
public sealed class TimestepEmbedding : Module
{
    public TimestepEmbedding(int dim, int frequencies = 256, double maxPeriod = 10000)
    {
        if (dim <= 0 || frequencies <= 0 || maxPeriod <= 0)
            throw new ArgumentOutOfRangeException(nameof(dim), $"timestep embedding: dim ({dim}), frequencies ({frequencies}) and max period ({maxPeriod}) must be positive.");
        Dim = dim;
        Frequencies = frequencies;
        MaxPeriod = maxPeriod;
        Fc1 = new Linear(frequencies, dim);
        Fc2 = new Linear(dim, dim);
    }

    public int Dim { get; }

    /// <summary>Width of the sinusoidal features (ADM's frequency_embedding_size).</summary>
    public int Frequencies { get; }

    public double MaxPeriod { get; }

    public Linear Fc1 { get; }
    public Linear Fc2 { get; }

    /// <summary>t Int64 [B] → [B, dim]</summary>
    public Tensor Forward(Tensor timestep)
    {
        if (timestep.Shape.Length != 1)
            throw new ArgumentException($"timestep embedding: expected timesteps [B], got {timestep.Describe()}.");
        using var scope = new TensorScope();
        var features = Sinusoid(timestep, Frequencies, MaxPeriod);       // [B, frequencies]
        return scope.MoveToOuter(Fc2.Forward(Fc1.Forward(features).Silu()));
    }

    /// <summary>
    /// ADM's <c>timestep_embedding</c>: t [B] → [B, dim] float32 = [cos(t·ω_k), sin(t·ω_k)] for k &lt; dim/2,
    /// ω_k = maxPeriod^(−k/(dim/2)), one zero column more for an odd dim. Computed in double: in float the phase of
    /// t ≈ 1000 is off by ~1e-4.
    /// </summary>
    public static Tensor Sinusoid(Tensor timestep, int dim, double maxPeriod = 10000)
    {
        var half = dim / 2;
        using var scope = new TensorScope();
        var omega = (Torch.Torch.Arange(0.0, half, 1.0, DType.Float64) * (-Math.Log(maxPeriod) / half)).Exp().To(timestep.Device); // [half]
        var phase = timestep.To(DType.Float64).Unsqueeze(1) * omega.Unsqueeze(0);                                               // [B, half]
        Tensor[] parts = dim % 2 == 0
            ? [phase.Cos(), phase.Sin()]
            : [phase.Cos(), phase.Sin(), Torch.Torch.Zeros([timestep.Shape[0], 1], DType.Float64, timestep.Device)];
        return scope.MoveToOuter(Torch.Torch.Cat(parts, dim: 1).To(DType.Float32));
    }
}
