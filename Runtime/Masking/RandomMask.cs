using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Masking;

/// <summary>
/// MAE's per-sample random masking: each sample ranks its tokens by uniform noise drawn for it (<see cref="SampleRandom"/>) and keeps the first K = ⌊N·(1 - ratio)⌋ (MAE's <c>int(L * (1 - mask_ratio))</c>).
/// <see cref="Ratio"/> is settable so a schedule can move it during training.
/// </summary>
[Constraint("0 < ratio < 1", "the ratio is the share of tokens masked; a loss on masked tokens needs one, and the encoder one kept: 0 < ratio < 1")]
[Component("random_mask")]
public sealed class RandomMask : Module
{
    private double _ratio;

    public RandomMask(double ratio) => Ratio = ratio;

    public double Ratio
    {
        get => _ratio;
        set => _ratio = value is > 0 and < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Ratio), $"random_mask: ratio must be in (0, 1), got {value}.");
    }

    /// <summary>Tokens kept out of <paramref name="tokens"/> for this ratio.</summary>
    public static long KeptCount(long tokens, double ratio) => (long)(tokens * (1.0 - ratio));

    /// <summary>tokens [B, N, D] → visible [B, K, D] with the mask and the indices to undo the shuffle.</summary>
    [Constraint("N * (1 - ratio) >= 1", "the mask must keep at least one of the N tokens")]
    [Shape("tokens: [B, N, D] -> visible: [B, K, D], masked: [B, N], keep_indices: [B, K], restore_indices: [B, N]")]
    public MaskedView Forward(Tensor tokens)
    {
        var shape = tokens.Shape;
        if (shape.Length != 3)
            throw new ArgumentException($"random_mask: expected tokens [B, N, D], got {tokens.Describe()}.");
        var (batch, count, dim) = (shape[0], shape[1], shape[2]);
        var keep = KeptCount(count, Ratio);

        Tensor visible, masked, keepIndices, restore;
        using (var scope = new TensorScope())
        {
            var noise = SampleRandom.Uniform([batch, count], tokens.Device);                // [B, N] per sample
            var shuffle = noise.Argsort(1);                                                // [B, N] ascending: small noise is kept
            restore = shuffle.Argsort(1).MoveToOuterScope();                               // [B, N] rank of each position
            keepIndices = shuffle.Narrow(1, 0, keep).MoveToOuterScope();                   // [B, K]
            visible = tokens.Gather(1, keepIndices.Unsqueeze(-1).Expand(-1, -1, dim)).MoveToOuterScope(); // [B, K, D]
            masked = restore.Ge(keep).MoveToOuterScope();                                  // [B, N] rank ≥ K ⇒ hidden
        }
        return new MaskedView(visible, masked, keepIndices, restore);
    }
}
