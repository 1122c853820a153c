using AvDsl.Runtime.Nn;
using AvDsl.Runtime.Objectives;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests;

/// <summary>The ops replayed batches use: concatenation on the batch, LUMP's mixup and its Beta draw, and losses over no rows.</summary>
public sealed class ReplayOpsTests
{
    [Fact]
    public void Concat_batch_puts_the_replayed_rows_after_the_current_ones()
    {
        using var scope = new TensorScope();
        var current = T.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var past = T.FromArray(new float[] { 5, 6 }, 1, 2);
        var both = Batches.ConcatBatch(current, past);
        Assert.Equal([3L, 2], both.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, both.ToArray<float>());
        Assert.Equal([2L, 2], Batches.ConcatBatch(current, T.Zeros([0, 2])).Shape);
        Assert.Throws<ArgumentException>(() => Batches.ConcatBatch(current, T.Zeros([1, 3])));
    }

    [Fact]
    public void Split_batch_gives_back_the_current_and_the_replayed_rows_of_a_concatenation()
    {
        using var scope = new TensorScope();
        var current = T.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var both = Batches.ConcatBatch(current, T.FromArray(new float[] { 5, 6 }, 1, 2));
        var split = Batches.SplitBatch(both, current);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, split.First.ToArray<float>());
        Assert.Equal(new float[] { 5, 6 }, split.Second.ToArray<float>());
        Assert.Equal([0L, 2], Batches.SplitBatch(current, current).Second.Shape); // nothing replayed yet
        Assert.Throws<ArgumentException>(() => Batches.SplitBatch(current, both));
    }

    [Fact]
    public void A_value_computed_without_grad_keeps_no_graph_and_a_loss_after_it_trains_only_what_follows()
    {
        using var scope = new TensorScope();
        var weight = T.FromArray(new float[] { 2 }, 1);
        var head = T.FromArray(new float[] { 3 }, 1);
        weight.RequiresGrad = head.RequiresGrad = true;
        var cut = StopGradient.Detach(Autograd.WithoutGrad(() => weight * weight));
        Assert.False(cut.RequiresGrad);
        Assert.True(cut.IsLeaf);
        Assert.Equal(4f, cut.ToArray<float>()[0]);
        (cut * head).Sum().Backward();
        Assert.Equal(4f, head.Grad!.ToArray<float>()[0]);
        Assert.Null(weight.Grad);
        Assert.True(T.IsGradEnabled); // grad mode is back on after
    }

    [Fact]
    public void Mixup_mixes_each_replayed_pair_with_one_lambda_for_both_inputs_and_leaves_the_other_rows()
    {
        using var scope = new TensorScope();
        T.ManualSeed(3);
        var audio = T.FromArray(new float[] { 0, 0, 10, 10, 20, 20 }, 3, 2);
        var video = T.FromArray(new float[] { 1, 2, 3 }, 3, 1);
        var pastAudio = T.FromArray(new float[] { 4, 4, 8, 8 }, 2, 2);
        var pastVideo = T.FromArray(new float[] { 5, 9 }, 2, 1);
        var mixed = Mixup.Mix(audio, video, pastAudio, pastVideo, alpha: 0.5);

        var a = mixed.First.ToArray<float>();
        var v = mixed.Second.ToArray<float>();
        var lambda = 1 - a[0] / 4; // row 0: λ·0 + (1 − λ)·4
        Assert.InRange(lambda, 0, 1);
        Assert.Equal(lambda * 10 + (1 - lambda) * 8, a[2], 4);
        Assert.Equal(lambda * 1 + (1 - lambda) * 5, v[0], 4);
        Assert.Equal(lambda * 2 + (1 - lambda) * 9, v[1], 4);
        Assert.Equal(new float[] { 20, 20 }, a[4..]); // no third replayed clip: unmixed
        Assert.Equal(3f, v[2]);

        var unmixed = Mixup.Mix(audio, video, T.Zeros([0, 2]), T.Zeros([0, 1]));
        Assert.Equal(audio.ToArray<float>(), unmixed.First.ToArray<float>());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Beta_draws_have_the_closed_form_mean_and_variance(double alpha)
    {
        T.ManualSeed(11);
        var draws = Enumerable.Range(0, 20000).Select(_ => Mixup.SampleBeta(alpha)).ToArray();
        var mean = draws.Average();
        var variance = draws.Select(x => (x - mean) * (x - mean)).Average();
        // Beta(α, α): mean 1/2, variance 1 / (4 (2α + 1)); the standard error of the mean is √(var / n) ≈ 0.0025 at α = 0.5.
        Assert.Equal(0.5, mean, 0.01);
        Assert.Equal(1 / (4 * (2 * alpha + 1)), variance, 0.005);
        Assert.All(draws, x => Assert.InRange(x, 0, 1));
    }

    [Fact]
    public void Losses_over_no_rows_are_zero_and_differentiable()
    {
        using var scope = new TensorScope();
        var empty = T.Zeros([0, 4]);
        empty.RequiresGrad = true;
        var mse = Losses.Mse(empty, T.Zeros([0, 4]));
        Assert.Equal(0.0, mse.Item<float>());
        var nce = Contrastive.InfoNce(empty, T.Zeros([0, 4]));
        Assert.Equal(0.0, nce.Item<float>());
        (mse + nce).Backward();
        Assert.Equal([0L, 4], empty.Grad!.Shape);
    }
}
