using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

public sealed class SamplingTests
{
    [Fact]
    public void A_seeded_generator_repeats_its_stream_and_leaves_the_default_generator_alone()
    {
        using var scope = new TensorScope();
        T.ManualSeed(5);
        var expectedDefault = T.Randn(4).ToArray<float>();
        T.ManualSeed(5);
        using var g = new Generator(42);
        var first = T.Randn([8], g).ToArray<float>();
        Assert.Equal(expectedDefault, T.Randn(4).ToArray<float>()); // the default stream did not move
        g.ManualSeed(42);
        Assert.Equal(first, T.Randn([8], g).ToArray<float>());
        var state = g.GetState();
        var next = T.Rand([5], g).ToArray<float>();
        g.SetState(state);
        Assert.Equal(next, T.Rand([5], g).ToArray<float>());
        using var other = new Generator(43);
        Assert.NotEqual(first, T.Randn([8], other).ToArray<float>());
    }

    [Fact]
    public void Multinomial_without_replacement_never_repeats_and_skips_zero_weights()
    {
        using var scope = new TensorScope();
        using var g = new Generator(7);
        var weights = T.FromArray(new float[] { 1, 0, 2, 3, 0, 4, 1, 1 }, 1, 8).Expand(200, 8).Contiguous();
        var draws = weights.Multinomial(6, replacement: false, generator: g).ToArray<long>();
        for (var row = 0; row < 200; row++)
        {
            var picked = draws.Skip(row * 6).Take(6).ToArray();
            Assert.Equal(6, picked.Distinct().Count());
            Assert.DoesNotContain(1L, picked);
            Assert.DoesNotContain(4L, picked);
        }
        // Heavier weights come first more often: index 5 (weight 4) leads more than index 0 (weight 1).
        var leaders = Enumerable.Range(0, 200).Select(r => draws[r * 6]).ToList();
        Assert.True(leaders.Count(i => i == 5) > leaders.Count(i => i == 0));
    }

    [Fact]
    public void Randint_randperm_normal_and_bernoulli_have_the_right_support_and_moments()
    {
        using var scope = new TensorScope();
        using var g = new Generator(9);
        var ints = T.Randint(-3, 4, [10000], g).ToArray<long>();
        Assert.Equal(Enumerable.Range(-3, 7).Select(i => (long)i), ints.Distinct().Order());
        var perm = T.Randperm(50, g).ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), perm.Order());
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), perm);
        var normal = T.Normal(2.0, 0.5, [20000], g, DType.Float64);
        Assert.Equal(2.0, normal.Mean().Item<double>(), 1);
        Assert.InRange(Math.Sqrt(normal.Var(0).Item<double>()), 0.48, 0.52);
        var coins = T.Empty([20000], DType.Float64).Bernoulli(0.3, g).ToArray<double>();
        Assert.All(coins, c => Assert.True(c is 0 or 1));
        Assert.InRange(coins.Average(), 0.28, 0.32);
        var p = T.FromArray(new double[] { 0, 1, 0, 1 });
        Assert.Equal(new double[] { 0, 1, 0, 1 }, p.Bernoulli(g).ToArray<double>());
        Assert.Throws<ArgumentOutOfRangeException>(() => p.Bernoulli(1.5));
    }
}
