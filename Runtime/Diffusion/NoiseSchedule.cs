namespace AvDsl.Runtime.Diffusion;

/// <summary>
/// The variances of a T-step diffusion, in double precision: β_t and ᾱ_t = Π_{s≤t}(1 − β_s) for t = 0..T−1, so that
/// x_t = sqrt(ᾱ_t)·x0 + sqrt(1 − ᾱ_t)·ε. Linear is DDPM's β = linspace(1e-4, 0.02, T), whose end leaves almost no
/// signal only for T near 1000 (the betas are not rescaled for other T). Cosine is improved DDPM's
/// f(t) = cos²(((t/T) + s)/(1 + s)·π/2), s = 0.008, β_t = min(1 − f(t+1)/f(t), 0.999): ᾱ_t = f(t+1)/f(0) until the clip.
/// </summary>
public sealed class NoiseSchedule
{
    private const double CosineOffset = 0.008;
    private const double MaxBeta = 0.999;
    private readonly double[] _betas;
    private readonly double[] _alphaBar;

    public NoiseSchedule(NoiseScheduleKind kind, int timesteps)
    {
        if (timesteps < 2)
            throw new ArgumentOutOfRangeException(nameof(timesteps), $"noise schedule: timesteps must be at least 2, got {timesteps}.");
        Kind = kind;
        Timesteps = timesteps;
        _betas = kind switch
        {
            NoiseScheduleKind.Linear => LinearBetas(timesteps),
            NoiseScheduleKind.Cosine => CosineBetas(timesteps),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), $"noise schedule: unknown kind {kind}."),
        };
        _alphaBar = new double[timesteps];
        var product = 1.0;
        for (var t = 0; t < timesteps; t++)
            _alphaBar[t] = product *= 1.0 - _betas[t];
    }

    public NoiseScheduleKind Kind { get; }

    /// <summary>T: the timesteps are 0..T−1.</summary>
    public int Timesteps { get; }

    /// <summary>β_t, t = 0..T−1.</summary>
    public IReadOnlyList<double> Betas => _betas;

    /// <summary>ᾱ_t = Π_{s≤t}(1 − β_s), t = 0..T−1: decreasing from just below 1 towards 0.</summary>
    public IReadOnlyList<double> AlphaBar => _alphaBar;

    /// <summary>sqrt(ᾱ_t): how much of x0 is left in x_t.</summary>
    public double SqrtAlphaBar(int t) => Math.Sqrt(_alphaBar[t]);

    /// <summary>sqrt(1 − ᾱ_t): the noise's scale in x_t (in double: 1 − ᾱ_t in float loses the small t).</summary>
    public double SqrtOneMinusAlphaBar(int t) => Math.Sqrt(1 - _alphaBar[t]);

    /// <summary>improved DDPM's f(t) = cos²(((t/T) + s)/(1 + s)·π/2), whose ratios give the cosine schedule.</summary>
    public static double CosineAlphaBar(double t, int timesteps)
    {
        var angle = (t / timesteps + CosineOffset) / (1 + CosineOffset) * Math.PI / 2;
        return Math.Cos(angle) * Math.Cos(angle);
    }

    private static double[] LinearBetas(int timesteps)
    {
        const double first = 1e-4, last = 0.02;
        var betas = new double[timesteps];
        for (var t = 0; t < timesteps; t++)
            betas[t] = first + (last - first) * t / (timesteps - 1);
        return betas;
    }

    private static double[] CosineBetas(int timesteps)
    {
        var betas = new double[timesteps];
        for (var t = 0; t < timesteps; t++)
            betas[t] = Math.Min(1 - CosineAlphaBar(t + 1, timesteps) / CosineAlphaBar(t, timesteps), MaxBeta);
        return betas;
    }
}
