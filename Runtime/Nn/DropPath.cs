using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Stochastic depth (timm's <c>DropPath</c>): while training, zeroes a residual branch for a random subset
/// of samples with probability <see cref="Probability"/> and scales the rest by 1 / (1 - p).
/// </summary>
public sealed class DropPath(double probability) : Module
{
    private double _probability = Checked(probability);

    /// <summary>Settable, so that fine-tuning can switch on the stochastic depth pre-training went without.</summary>
    public double Probability
    {
        get => _probability;
        set => _probability = Checked(value);
    }

    private static double Checked(double probability) => probability is >= 0 and < 1
        ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), $"drop_path: probability must be in [0, 1), got {probability}.");

    /// <summary>[B, ...] → [B, ...]</summary>
    public Tensor Forward(Tensor x)
    {
        if (!Training || Probability == 0.0)
            return x.Alias();
        var keep = 1.0 - Probability;
        var shape = new long[x.Dim];
        Array.Fill(shape, 1L);
        shape[0] = x.Size(0);
        using var scope = new TensorScope();
        var mask = SampleRandom.Uniform(shape, x.Device).Lt(keep).To(x.DType) / keep;    // [B, 1, ...] per sample
        return scope.MoveToOuter(x * mask);
    }
}
