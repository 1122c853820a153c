using AvDsl.Runtime.Masking;
using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Distributed;

/// <summary>Per-sample random numbers: a sample draws the same whether its batch ran whole or split across ranks.</summary>
public sealed class SampleRandomTests
{
    private const long Seed = 11;

    // Rank r of `world` holding `samples` local samples, at training step `step`.
    private static T2 InStep<T2>(int rank, int world, long samples, Func<T2> draw, long step = 3)
    {
        using var share = new BatchShare(rank, world, samples).Use();
        using var random = SampleRandom.Begin(Seed, step);
        return draw();
    }

    // The rows of two ranks' halves laid back in global order: rank 0 holds global samples 0, 2, …; rank 1 holds 1, 3, ….
    private static float[] Interleave(float[] rank0, float[] rank1, int samples)
    {
        var result = new float[rank0.Length * 2];
        var size = rank0.Length / samples;
        for (var i = 0; i < samples; i++)
        {
            Array.Copy(rank0, i * size, result, (2 * i) * size, size);
            Array.Copy(rank1, i * size, result, (2 * i + 1) * size, size);
        }
        return result;
    }

    [Fact]
    public void A_split_batch_draws_what_the_whole_batch_draws_row_for_row()
    {
        using var scope = new TensorScope();
        var whole = InStep(0, 1, 4, () => SampleRandom.Uniform([4, 5]).ToArray<float>());
        var halves = Enumerable.Range(0, 2).Select(rank => InStep(rank, 2, 2, () => SampleRandom.Uniform([2, 5]).ToArray<float>())).ToArray();

        Assert.Equal(whole, Interleave(halves[0], halves[1], 2));
        Assert.Equal(20, whole.Distinct().Count());
    }

    [Fact]
    public void Clones_keep_their_sample_and_copy_index_under_a_split()
    {
        using var scope = new TensorScope();
        // 4 samples x 3 clones, Normal draws: rows 3i … 3i + 2 belong to sample i.
        var whole = InStep(0, 1, 4, () => SampleRandom.Normal([12, 2]).ToArray<float>());
        var halves = Enumerable.Range(0, 2).Select(rank => InStep(rank, 2, 2, () => SampleRandom.Normal([6, 2]).ToArray<float>())).ToArray();

        Assert.Equal(whole, Interleave(halves[0], halves[1], 2));
    }

    [Fact]
    public void Steps_and_successive_draws_differ_and_the_same_step_repeats()
    {
        using var scope = new TensorScope();
        var (first, second) = InStep(0, 1, 2, () => (SampleRandom.Uniform([2, 4]).ToArray<float>(), SampleRandom.Uniform([2, 4]).ToArray<float>()));
        var again = InStep(0, 1, 2, () => SampleRandom.Uniform([2, 4]).ToArray<float>());
        var later = InStep(0, 1, 2, () => SampleRandom.Uniform([2, 4]).ToArray<float>(), step: 4);

        Assert.Equal(first, again);
        Assert.NotEqual(first, second);
        Assert.NotEqual(first, later);
    }

    [Fact]
    public void Outside_a_step_draws_come_from_the_default_generator()
    {
        using var scope = new TensorScope();
        T.ManualSeed(5);
        var keyed = SampleRandom.Uniform([3, 2]).ToArray<float>();
        T.ManualSeed(5);
        Assert.Equal(T.Rand([3, 2], DType.Float32).ToArray<float>(), keyed);
    }

    [Fact]
    public void A_shared_draw_is_the_same_on_every_rank()
    {
        using var scope = new TensorScope();
        var draws = Enumerable.Range(0, 2).Select(rank => InStep(rank, 2, 2, () => SampleRandom.SharedUniform([2], DType.Float32).ToArray<float>())).ToArray();
        Assert.Equal(draws[0], draws[1]);
    }

    [Fact]
    public void Masks_of_a_split_batch_are_the_whole_batchs()
    {
        using var scope = new TensorScope();
        T.ManualSeed(1);
        var tokens = T.Randn(4, 128, 3);
        long[] Restore(MaskedView view) => view.RestoreIndices.ToArray<long>();
        Tensor Rows(int rank) => tokens.IndexSelect(0, T.FromArray(new long[] { rank, rank + 2 }, 2));

        foreach (var mask in new Module[] { new RandomMask(0.75), new InverseBlockMask(0.2, [8, 16], clones: 3) })
        {
            MaskedView Forward(Tensor x) => mask is RandomMask r ? r.Forward(x) : ((InverseBlockMask)mask).Forward(x);
            var whole = InStep(0, 1, 4, () => Restore(Forward(tokens)));
            var halves = Enumerable.Range(0, 2).Select(rank => InStep(rank, 2, 2, () => Restore(Forward(Rows(rank))))).ToArray();
            var interleaved = Interleave(halves[0].Select(i => (float)i).ToArray(), halves[1].Select(i => (float)i).ToArray(), 2);
            Assert.Equal(whole.Select(i => (float)i).ToArray(), interleaved);
        }
    }

    [Fact]
    public void A_summed_loss_counts_every_rank_and_a_mean_its_own()
    {
        using var scope = new TensorScope();
        var prediction = T.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var target = T.ZerosLike(prediction);

        var sum = InStep(1, 2, 2, () => Losses.Mse(prediction, target, MseReduction.Sum).Item<double>());
        var mean = InStep(1, 2, 2, () => Losses.Mse(prediction, target).Item<double>());

        Assert.Equal(2 * 30.0, sum, 6);   // this rank's 30, scaled so that the ranks' mean is the global sum
        Assert.Equal(7.5, mean, 6);
        Assert.Equal(30.0, Losses.Mse(prediction, target, MseReduction.Sum).Item<double>(), 6);
    }
}
