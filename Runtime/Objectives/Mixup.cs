using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>
/// LUMP's mixup of the current batch with replayed samples (Madaan et al., ICLR 2022): one λ ~ Beta(α, α) per step, and row i
/// of each input becomes λ·current_i + (1 − λ)·replayed_i. Both inputs of a clip (audio and video) share λ and partner. Rows
/// past the replayed count (fewer samples stored than the batch) stay as they are, so with nothing stored the batch is unmixed.
/// </summary>
public static class Mixup
{
    [Constraint("alpha > 0", "alpha shapes Beta(alpha, alpha), which needs alpha > 0")]
    [Component("mixup")]
    [Shape("first: [B, *S], second: [B, *T], past_first: [R, *S], past_second: [R, *T] -> first: [B, *S], second: [B, *T]")]
    public static MixedPair Mix(Tensor first, Tensor second, Tensor pastFirst, Tensor pastSecond, double alpha = 0.5)
    {
        if (!(alpha > 0))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"mixup: alpha must be positive, got {alpha}.");
        var batch = first.Shape[0];
        var replayed = pastFirst.Shape[0];
        if (second.Shape[0] != batch || pastSecond.Shape[0] != replayed || replayed > batch)
            throw new ArgumentException($"mixup: expected current [B, …] pairs and at most B replayed pairs, got {first.Describe()}, {second.Describe()}, {pastFirst.Describe()}, {pastSecond.Describe()}.");
        if (replayed == 0)
            return new MixedPair(first.Alias(), second.Alias());
        var lambda = SampleBeta(alpha);
        return new MixedPair(Mix(first, pastFirst, lambda), Mix(second, pastSecond, lambda));
    }

    private static Tensor Mix(Tensor current, Tensor past, double lambda)
    {
        using var scope = new TensorScope();
        var replayed = past.Shape[0];
        var head = current.Narrow(0, 0, replayed) * lambda + past.To(current.DType).To(current.Device) * (1 - lambda);
        var mixed = replayed == current.Shape[0] ? head : Torch.Torch.Cat([head, current.Narrow(0, replayed, current.Shape[0] - replayed)], 0);
        return scope.MoveToOuter(mixed);
    }

    /// <summary>λ ~ Beta(α, α) by Jöhnk's method from a draw shared by every rank (<see cref="SampleRandom.SharedUniform"/>): U^(1/α) / (U^(1/α) + V^(1/α)) for the first
    /// uniform pair with U^(1/α) + V^(1/α) ≤ 1.</summary>
    public static double SampleBeta(double alpha)
    {
        using var scope = new TensorScope();
        while (true)
        {
            var uv = SampleRandom.SharedUniform([2], DType.Float64).ToArray<double>();
            var x = Math.Pow(uv[0], 1 / alpha);
            var y = Math.Pow(uv[1], 1 / alpha);
            if (x + y <= 1 && x + y > 0) return x / (x + y);
        }
    }
}
