using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class RandomMaskTests
{
    [Theory]
    [InlineData(128, 0.75, 32)]
    [InlineData(512, 0.8, 102)]  // Python: int(512 * (1 - 0.8)) == 102
    [InlineData(10, 0.0, 10)]
    public void Keeps_floor_of_n_times_one_minus_ratio(long n, double ratio, long kept) =>
        Assert.Equal(kept, RandomMask.KeptCount(n, ratio));

    [Fact]
    public void Visible_tokens_mask_and_indices_are_consistent()
    {
        using var scope = new TensorScope();
        T.ManualSeed(3);
        var tokens = T.Randn(4, 128, 8);
        var view = new RandomMask(0.75).Forward(tokens);

        Assert.Equal(new long[] { 4, 32, 8 }, view.Visible.Shape);
        Assert.Equal(new long[] { 4, 128 }, view.Masked.Shape);
        Assert.Equal(DType.Bool, view.Masked.DType);
        Assert.Equal(new long[] { 4, 32 }, view.KeepIndices.Shape);
        Assert.Equal(DType.Int64, view.RestoreIndices.DType);
        Assert.Equal(new long[] { 96, 96, 96, 96 }, view.Masked.Sum(1).ToArray<long>());

        // Kept positions are exactly the unmasked ones.
        var keptAreVisible = view.Masked.Gather(1, view.KeepIndices).LogicalNot().All();
        Assert.True(keptAreVisible);

        // Visible tokens are the tokens at KeepIndices.
        var expected = tokens.Gather(1, view.KeepIndices.Unsqueeze(-1).Expand(-1, -1, 8));
        Assert.Equal(expected.ToArray<float>(), view.Visible.ToArray<float>());

        // Appending the hidden tokens in shuffle order and gathering with RestoreIndices restores the input.
        var shuffle = view.RestoreIndices.Argsort(1);
        var shuffled = tokens.Gather(1, shuffle.Unsqueeze(-1).Expand(-1, -1, 8));
        var restored = shuffled.Gather(1, view.RestoreIndices.Unsqueeze(-1).Expand(-1, -1, 8));
        Assert.Equal(tokens.ToArray<float>(), restored.ToArray<float>());
    }

    [Fact]
    public void Same_seed_same_mask_different_seed_different_mask()
    {
        using var scope = new TensorScope();
        var tokens = T.Zeros(2, 64, 4);
        var mask = new RandomMask(0.5);
        T.ManualSeed(42);
        var first = mask.Forward(tokens).KeepIndices.ToArray<long>();
        T.ManualSeed(42);
        var again = mask.Forward(tokens).KeepIndices.ToArray<long>();
        T.ManualSeed(43);
        var other = mask.Forward(tokens).KeepIndices.ToArray<long>();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Samples in a batch get their own masks.
        Assert.NotEqual(first.Take(32), first.Skip(32));
    }
}
