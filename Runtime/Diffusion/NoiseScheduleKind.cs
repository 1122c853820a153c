namespace AvDsl.Runtime.Diffusion;

/// <summary>How the noise variance grows over the T diffusion steps (the spec's <c>schedule: linear | cosine</c>).</summary>
public enum NoiseScheduleKind
{
    /// <summary>DDPM (Ho et al. 2020): β rises linearly from 1e-4 to 0.02.</summary>
    Linear,

    /// <summary>Improved DDPM (Nichol &amp; Dhariwal 2021): ᾱ follows cos² with offset s = 0.008, β clipped at 0.999.</summary>
    Cosine,
}
