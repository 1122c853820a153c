using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

public sealed class FbankStatisticsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-stats-").FullName;

    [Fact]
    public void Mean_and_std_cover_every_frame_and_bin_of_the_good_clips()
    {
        var names = new[] { "speech", "noise", "tones" };
        var entries = names.Select(n => new ManifestEntry(Goldens.Path(n + ".wav"), n + ".wav", [], TimeWindow.Whole, "", 0)).ToList();
        entries.Add(new ManifestEntry(Path.Combine(_folder, "gone.wav"), "gone.wav", [], TimeWindow.Whole, "", 0));

        var stats = FbankStatistics.Compute(entries, badShareLimit: 0.5);

        // The same numbers straight from the torchaudio goldens.
        var values = names.SelectMany(n => NpyFile.Read(Goldens.Path(n + ".fbank.npy"), out _)).Select(v => (double)v).ToArray();
        var mean = values.Average();
        var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(mean, stats.Mean, 3);
        Assert.Equal(std, stats.Std, 3);
        Assert.Equal(3, stats.Clips);
        Assert.Equal(values.Length / 128, stats.Frames);
        Assert.Equal(BadInputReason.Missing, Assert.Single(stats.BadInputs.Items).Reason);
    }

    [Fact]
    public void Past_the_limit_the_run_stops_with_the_limit_message_not_an_aggregate()
    {
        var entries = new List<ManifestEntry>
        {
            new(Goldens.Path("speech.wav"), "speech.wav", [], TimeWindow.Whole, "", 0),
            new(Path.Combine(_folder, "gone.wav"), "gone.wav", [], TimeWindow.Whole, "", 0),
        };
        var error = Assert.Throws<BadInputLimitExceededException>(() => FbankStatistics.Compute(entries));
        Assert.Contains("1 of 2 inputs", error.Message);
        Assert.Contains("gone.wav: no such file", error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
