using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

/// <summary>Our fbank against torchaudio.compliance.kaldi.fbank with EAT's settings (Golden/make_fbank_goldens.py).</summary>
public sealed class KaldiFbankGoldenTests
{
    private const double Tolerance = 1e-3;

    [Theory]
    [InlineData("speech")]
    [InlineData("noise")]
    [InlineData("tones")]
    [InlineData("silence")]
    [InlineData("clipped")]
    public void Matches_torchaudio(string name)
    {
        var wave = WavFile.Read(Goldens.Path(name + ".wav"), out var rate);
        Assert.Equal(16000, rate);
        var expected = NpyFile.Read(Goldens.Path(name + ".fbank.npy"), out var shape);

        var actual = new KaldiFbank().Compute(wave, out var frames);

        Assert.Equal(new[] { frames, 128 }, shape);
        Assert.True(MaxAbsDiff(expected, actual) <= Tolerance, $"{name}: max |diff| = {MaxAbsDiff(expected, actual)}");
    }

    [Theory]
    [InlineData("speech", "speech.eat256.npy", 256)] // padded
    [InlineData("noise", "noise.eat64.npy", 64)]     // cropped
    public void Pad_crop_and_normalise_match_EAT(string name, string golden, int frames)
    {
        var wave = WavFile.Read(Goldens.Path(name + ".wav"), out _);
        var expected = NpyFile.Read(Goldens.Path(golden), out var shape);
        var fbank = new KaldiFbank().Compute(wave, out _);

        var prepared = FbankNormalization.Prepare(fbank, 128, frames, mean: -4.268, std: 4.569);

        Assert.Equal(new[] { frames, 128 }, shape);
        Assert.True(MaxAbsDiff(expected, prepared) <= Tolerance, $"{golden}: max |diff| = {MaxAbsDiff(expected, prepared)}");
    }

    [Fact]
    public void A_clip_shorter_than_one_window_has_no_frames()
    {
        var features = new KaldiFbank().Compute(new float[399], out var frames);
        Assert.Equal(0, frames);
        Assert.Empty(features);
        Assert.Equal(1, FbankSettings.Eat.FrameCount(400));
        Assert.Equal(2, FbankSettings.Eat.FrameCount(560));
    }

    [Fact]
    public void A_frame_of_DC_only_is_floored_at_log_epsilon()
    {
        var constant = Enumerable.Repeat(0.25f, 1600).ToArray();
        var features = new KaldiFbank().Compute(constant, out _);
        Assert.All(features, v => Assert.Equal(Math.Log(1.1920928955078125e-07), v, 4));
    }

    internal static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
            max = Math.Max(max, Math.Abs(expected[i] - (double)actual[i]));
        return max;
    }
}
