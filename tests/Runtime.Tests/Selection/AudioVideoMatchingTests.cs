using AvDsl.Runtime.Selection;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Selection;

/// <summary>STELLA's matching module against the PyTorch reference (Goldens/make_stella_goldens.py) and closed forms.</summary>
public sealed class AudioVideoMatchingTests
{
    private static readonly string[] NotParameters =
    [
        "audio", "video", "logit", "probe", "audio_importance", "video_importance", "audio_to_video", "video_to_audio", "audio_queries",
        "audio_keys", "video_queries", "video_keys", "pairs.labels", "pairs.video_indices", "matching_loss",
    ];

    private static Tensor Leaf(Tensor t)
    {
        var leaf = t.Clone().Detach();
        leaf.RequiresGrad = true;
        return leaf;
    }

    [Fact]
    public void Forward_matches_the_reference_importance_logits_and_gradients()
    {
        using var golden = new Golden("stella_matching");
        using var scope = new TensorScope();
        using var module = new AudioVideoMatching(dim: 24, heads: 4, temperature: 0.4);
        module.LoadStateDict(golden.Parameters(NotParameters));
        var (audio, video) = (Leaf(golden["audio"]), Leaf(golden["video"]));

        var scores = module.Forward(audio, video);
        Golden.AssertClose(golden["audio_importance"], scores.AudioImportance, "audio_importance", atol: 1e-6);
        Golden.AssertClose(golden["video_importance"], scores.VideoImportance, "video_importance", atol: 1e-6);
        Golden.AssertClose(golden["audio_to_video"], scores.AudioToVideo, "audio_to_video");
        Golden.AssertClose(golden["video_to_audio"], scores.VideoToAudio, "video_to_audio");
        Golden.AssertClose(golden["audio_queries"], scores.AudioQueries, "audio_queries");
        Golden.AssertClose(golden["audio_keys"], scores.AudioKeys, "audio_keys");
        Golden.AssertClose(golden["video_queries"], scores.VideoQueries, "video_queries");
        Golden.AssertClose(golden["video_keys"], scores.VideoKeys, "video_keys");
        Golden.AssertClose(golden["logit"], scores.Logit, "logit");
        Assert.False(scores.AudioImportance.RequiresGrad);

        (scores.Logit * golden["probe"]).Sum().Backward();
        Golden.AssertClose(golden["grad.audio"], audio.Grad!, "grad.audio");
        Golden.AssertClose(golden["grad.video"], video.Grad!, "grad.video");
        var checkedParameters = 0;
        foreach (var (key, parameter) in module.NamedParameters())
        {
            Golden.AssertClose(golden["grad." + key], parameter.Grad!, "grad." + key);
            checkedParameters++;
        }
        Assert.Equal(2 * 2 + 6 + 2 * 2, checkedParameters);  // two norms, six projections, pooler and logit layer
    }

    [Fact]
    public void Matching_loss_draws_the_reference_pairs_and_matches_its_BCE_and_gradients()
    {
        using var golden = new Golden("stella_matching");
        using var scope = new TensorScope();
        using var module = new AudioVideoMatching(dim: 24, heads: 4, temperature: 0.4);
        module.LoadStateDict(golden.Parameters(NotParameters));
        T.ManualSeed(long.Parse(golden.Metadata["seed"], System.Globalization.CultureInfo.InvariantCulture));
        var pairs = AudioVideoMatching.DrawPairs(6);
        Assert.Equal(golden["pairs.labels"].ToArray<float>(), pairs.Labels.ToArray<float>());
        Assert.Equal(golden["pairs.video_indices"].ToArray<long>(), pairs.VideoIndices.ToArray<long>());

        T.ManualSeed(long.Parse(golden.Metadata["seed"], System.Globalization.CultureInfo.InvariantCulture));
        var loss = module.ForwardMatchingLoss(golden["audio"], golden["video"]);
        Golden.AssertClose(golden["matching_loss"], loss, "matching_loss");
        loss.Backward();
        foreach (var (key, parameter) in module.NamedParameters())
            Golden.AssertClose(golden["grad.loss." + key], parameter.Grad!, "grad.loss." + key);
    }

    [Fact]
    public void Pairs_are_half_positive_and_negatives_never_keep_their_own_video()
    {
        using var scope = new TensorScope();
        for (var batch = 3; batch <= 12; batch++)
            for (var seed = 0; seed < 20; seed++)
            {
                T.ManualSeed(seed);
                var pairs = AudioVideoMatching.DrawPairs(batch);
                var labels = pairs.Labels.ToArray<float>();
                var videos = pairs.VideoIndices.ToArray<long>();
                Assert.Equal(batch / 2, labels.Count(l => l == 1f));
                Assert.Equal(Enumerable.Range(0, batch).Select(i => (long)i), videos.Order());  // a permutation
                for (var i = 0; i < batch; i++)
                    Assert.True(labels[i] == 1f ? videos[i] == i : videos[i] != i && labels[videos[i]] == 0f,
                        $"batch {batch}, seed {seed}: clip {i} (label {labels[i]}) paired with video {videos[i]}");
            }
    }

    [Fact]
    public void Two_clips_or_fewer_are_all_positive_and_draw_nothing()
    {
        using var scope = new TensorScope();
        T.ManualSeed(5);
        var pairs = AudioVideoMatching.DrawPairs(2);
        var next = T.Rand(1).Item<float>();
        T.ManualSeed(5);
        Assert.Equal(T.Rand(1).Item<float>(), next);
        Assert.Equal([1f, 1f], pairs.Labels.ToArray<float>());
        Assert.Equal([0L, 1L], pairs.VideoIndices.ToArray<long>());
    }

    [Fact]
    public void Identical_video_patches_share_importance_equally_and_rows_sum_to_one()
    {
        using var scope = new TensorScope();
        T.ManualSeed(11);
        using var module = new AudioVideoMatching(dim: 12, heads: 3);
        var audio = T.Randn(2, 4, 12);
        var video = T.Randn(2, 1, 12).Expand(2, 5, 12).Contiguous();  // every video patch the same
        var scores = module.Forward(audio, video);

        Golden.AssertClose(T.Full([2, 5], 1.0 / 5), scores.VideoImportance, "uniform video importance", atol: 1e-6, rtol: 0);
        Golden.AssertClose(T.Ones(2), scores.AudioImportance.Sum(1), "audio rows", atol: 1e-6, rtol: 0);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, scores.AudioToVideo.Shape);
        Assert.Equal(new long[] { 2, 3, 5, 4 }, scores.VideoToAudio.Shape);
        Assert.Equal(new long[] { 2, 3, 5, 4 }, scores.VideoKeys.Shape);
        Assert.Equal(new long[] { 2 }, scores.Logit.Shape);
    }

    [Fact]
    public void Importance_is_the_temperature_softmax_of_the_logits_averaged_over_heads_and_queries()
    {
        using var scope = new TensorScope();
        T.ManualSeed(12);
        using var module = new AudioVideoMatching(dim: 8, heads: 2, temperature: 0.25);
        var scores = module.Forward(T.Randn(1, 3, 8), T.Randn(1, 4, 8));
        var logits = scores.AudioToVideo.ToArray<float>();  // [1, 2, 3, 4]
        for (var j = 0; j < 4; j++)
        {
            var expected = 0.0;
            for (var h = 0; h < 2; h++)
                for (var i = 0; i < 3; i++)
                {
                    var row = Enumerable.Range(0, 4).Select(k => Math.Exp(logits[(h * 3 + i) * 4 + k] / 0.25)).ToArray();
                    expected += row[j] / row.Sum() / 6;
                }
            Assert.Equal(expected, scores.VideoImportance.ToArray<float>()[j], 5);
        }
    }

    [Fact]
    public void Refuses_tokens_of_another_width()
    {
        using var scope = new TensorScope();
        using var module = new AudioVideoMatching(dim: 8, heads: 2);
        var error = Assert.Throws<ArgumentException>(() => module.Forward(T.Randn(1, 3, 8), T.Randn(1, 4, 6)));
        Assert.Contains("av_matching", error.Message);
        Assert.Throws<ArgumentException>(() => new AudioVideoMatching(dim: 10, heads: 4));
    }
}
