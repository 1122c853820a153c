using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class InverseBlockMaskTests
{
    private static readonly int[] Grid = [8, 16];

    private static (MaskedView View, Tensor Tokens) Mask(long seed, double keep = 0.2, int clones = 4, long batch = 2)
    {
        T.ManualSeed(seed);
        var tokens = T.Randn(batch, Grid[0] * Grid[1], 6);
        return (new InverseBlockMask(keep, Grid, clones: clones).Forward(tokens), tokens);
    }

    private static bool[][] Visible(MaskedView view) =>
        view.Masked.ToArray<bool>().Chunk(Grid[0] * Grid[1]).Select(row => row.Select(m => !m).ToArray()).ToArray();

    [Fact]
    public void Exactly_int_L_times_keep_patches_stay_visible_in_every_clone()
    {
        using var scope = new TensorScope();
        var (view, _) = Mask(seed: 1);

        Assert.Equal(new long[] { 8, 25, 6 }, view.Visible.Shape);   // 2 clips x 4 clones; int(128 * 0.2) = 25
        Assert.All(Visible(view), row => Assert.Equal(25, row.Count(v => v)));
    }

    [Fact]
    public void Each_clone_sees_its_own_clips_tokens_at_its_visible_positions()
    {
        using var scope = new TensorScope();
        var (view, tokens) = Mask(seed: 2);
        var source = tokens.ToArray<float>();
        var seen = view.Visible.ToArray<float>();
        var keep = view.KeepIndices.ToArray<long>();
        var visible = Visible(view);

        for (var copy = 0; copy < 8; copy++)
        {
            var clip = copy / 4;
            for (var k = 0; k < 25; k++)
            {
                var cell = keep[copy * 25 + k];
                Assert.True(visible[copy][cell]);
                for (var d = 0; d < 6; d++) Assert.Equal(source[(clip * 128 + cell) * 6 + d], seen[(copy * 25 + k) * 6 + d]);
            }
        }
    }

    [Fact]
    public void Visible_patches_come_in_blocks_not_scattered()
    {
        using var scope = new TensorScope();
        var (view, _) = Mask(seed: 3, clones: 16);

        // Visible neighbours (4-neighbourhood) per visible patch: about 0.7 for 25 of 128 patches scattered at
        // random; blocks grown around a few centres leave far more of them.
        var neighbours = Visible(view).Average(row =>
        {
            var (rows, columns) = (Grid[0], Grid[1]);
            double total = 0;
            for (var i = 0; i < row.Length; i++)
            {
                if (!row[i]) continue;
                var (r, c) = (i / columns, i % columns);
                if (r > 0 && row[i - columns]) total++;
                if (r < rows - 1 && row[i + columns]) total++;
                if (c > 0 && row[i - 1]) total++;
                if (c < columns - 1 && row[i + 1]) total++;
            }
            return total / row.Count(v => v);
        });
        Assert.True(neighbours > 1.5, $"{neighbours:F2} visible neighbours per visible patch");
    }

    [Fact]
    public void A_seed_fixes_the_masks_and_clones_differ()
    {
        using var scope = new TensorScope();
        var first = Visible(Mask(seed: 4).View);
        var again = Visible(Mask(seed: 4).View);

        Assert.Equal(first, again);
        Assert.NotEqual(first[0], first[1]);
    }

    [Fact]
    public void Keeping_everything_masks_nothing()
    {
        using var scope = new TensorScope();
        var (view, _) = Mask(seed: 5, keep: 1.0, clones: 1);
        Assert.All(Visible(view), row => Assert.All(row, Assert.True));
    }
}
