namespace AvDsl.Runtime.Torch;

public partial class Tensor
{
    /// <summary>0/1 draws with this tensor's entries as probabilities (same shape and dtype).</summary>
    public Tensor Bernoulli(Generator? generator = null) => Aten.BernoulliTensor.Call(this, generator);

    /// <summary>0/1 draws with probability <paramref name="p"/>, shaped like this tensor.</summary>
    public Tensor Bernoulli(double p, Generator? generator = null)
    {
        if (p is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(p), $"bernoulli: p must be in [0, 1], got {p} (for {Describe()}).");
        return Aten.Bernoulli.Call(this, p, generator);
    }

    /// <summary>
    /// Samples <paramref name="samples"/> category indices (Int64) per row of these non-negative weights [C] or
    /// [B, C]; without replacement each index appears at most once per row.
    /// </summary>
    public Tensor Multinomial(long samples, bool replacement = false, Generator? generator = null) =>
        Aten.Multinomial.Call(this, samples, replacement, generator);
}
