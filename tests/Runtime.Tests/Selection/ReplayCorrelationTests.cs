using AvDsl.Runtime.Selection;
using AvDsl.Runtime.Torch;
using Xunit;
using T = AvDsl.Runtime.Torch.Torch;

namespace AvDsl.Runtime.Tests.Selection;

/// <summary>Replay-guided correlation against a hand computation, the PyTorch reference, and the empty buffer.</summary>
public sealed class ReplayCorrelationTests
{
    private static MatchingScores Scores(Golden golden) => new(
        golden["audio_importance"], golden["video_importance"], T.Zeros(golden["audio_importance"].Shape[0]),
        golden["audio_to_video"], golden["video_to_audio"], golden["audio_queries"], golden["audio_keys"],
        golden["video_queries"], golden["video_keys"]);

    [Fact]
    public void Matches_the_reference_on_random_scores()
    {
        using var golden = new Golden("stella_correlation");
        using var scope = new TensorScope();
        using var correlation = new ReplayCorrelation(keep: 0.5);
        var result = correlation.Forward(Scores(golden), golden["past_audio"], golden["past_video"]);

        Assert.True(result.Audio.Past && result.Video.Past);
        Golden.AssertClose(golden["audio"], result.Audio.Probability, "audio r", atol: 1e-6);
        Golden.AssertClose(golden["video"], result.Video.Probability, "video r", atol: 1e-6);
        Golden.AssertClose(golden["audio_summary"], result.AudioSummary, "audio summary", atol: 1e-6);
        Golden.AssertClose(golden["video_summary"], result.VideoSummary, "video summary", atol: 1e-6);
        // Only the ⌊N/2⌋ candidates can correlate.
        Assert.All(result.Video.Probability.Gt(0).To(DType.Int64).Sum(1).ToArray<long>(), n => Assert.Equal(4L, n));
        Assert.All(result.Audio.Probability.Gt(0).To(DType.Int64).Sum(1).ToArray<long>(), n => Assert.Equal(3L, n));
    }

    [Fact]
    public void Is_the_sigmoid_of_past_minus_current_on_a_hand_made_clip()
    {
        // One clip, one head of width 1 (scale 1), two patches per modality, all candidates.
        using var scope = new TensorScope();
        var audioImportance = T.FromArray(new[] { 0.25f, 0.75f }, 1, 2);
        var videoImportance = T.FromArray(new[] { 0.5f, 0.5f }, 1, 2);
        var a2v = T.FromArray(new[] { 1f, 0f, 3f, 2f }, 1, 1, 2, 2);     // audio i → video j
        var v2a = T.FromArray(new[] { 0f, 4f, 2f, 2f }, 1, 1, 2, 2);     // video i → audio j
        var audioQueries = T.FromArray(new[] { 2f, 6f }, 1, 1, 2, 1);
        var audioKeys = T.FromArray(new[] { -1f, 1f }, 1, 1, 2, 1);
        var videoQueries = T.FromArray(new[] { 1f, 3f }, 1, 1, 2, 1);
        var videoKeys = T.FromArray(new[] { 1f, 2f }, 1, 1, 2, 1);
        var scores = new MatchingScores(audioImportance, videoImportance, T.Zeros(1), a2v, v2a, audioQueries, audioKeys, videoQueries, videoKeys);
        using var correlation = new ReplayCorrelation(keep: 1.0);
        var result = correlation.Forward(scores, T.FromArray(new[] { 3f }, 1, 1, 1), T.FromArray(new[] { 0.5f }, 1, 1, 1));

        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        // video: past = k_v · 3 = [3, 6]; current = 0.25·a2v[0] + 0.75·a2v[1] = [2.5, 1.5]
        Assert.Equal([Sigmoid(0.5), Sigmoid(4.5)], result.Video.Probability.ToArray<float>().Select(v => (double)v), new ToleranceComparer(1e-6));
        // audio: past = k_a · 0.5 = [-0.5, 0.5]; current = 0.5·v2a[0] + 0.5·v2a[1] = [1, 3]
        Assert.Equal([Sigmoid(-1.5), Sigmoid(-2.5)], result.Audio.Probability.ToArray<float>().Select(v => (double)v), new ToleranceComparer(1e-6));
        // summaries: importance-weighted queries
        Assert.Equal(0.25 * 2 + 0.75 * 6, result.AudioSummary.Item<float>(), 5);
        Assert.Equal(0.5 * 1 + 0.5 * 3, result.VideoSummary.Item<float>(), 5);
    }

    [Fact]
    public void An_empty_buffer_means_no_past_and_zero_correlation_but_still_gives_summaries()
    {
        using var golden = new Golden("stella_correlation");
        using var scope = new TensorScope();
        using var correlation = new ReplayCorrelation(keep: 0.5);
        var empty = T.Zeros(0, 2, 4);
        var result = correlation.Forward(Scores(golden), empty, empty);

        Assert.False(result.Audio.Past || result.Video.Past);
        Assert.Equal(0f, result.Audio.Probability.Abs().Sum().Item<float>());
        Assert.Equal(0f, result.Video.Probability.Abs().Sum().Item<float>());
        Assert.Equal(golden["video"].Shape, result.Video.Probability.Shape);
        Golden.AssertClose(golden["video_summary"], result.VideoSummary, "video summary", atol: 1e-6);
    }

    [Fact]
    public void Fewer_stored_clips_than_the_batch_is_an_error_not_a_silent_reuse()
    {
        using var golden = new Golden("stella_correlation");
        using var scope = new TensorScope();
        using var correlation = new ReplayCorrelation();
        var two = T.Zeros(2, 2, 4);
        var error = Assert.Throws<ArgumentException>(() => correlation.Forward(Scores(golden), two, two));
        Assert.Contains("2 stored clips for a batch of 3", error.Message);
    }
}
