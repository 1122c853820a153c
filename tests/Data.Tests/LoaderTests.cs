using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

[Collection(MediaCollection.Name)]
public sealed class LoaderTests : IDisposable
{
    private const int Clips = 10;
    private readonly MediaFiles _media;
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-loader-").FullName;
    private readonly List<ManifestEntry> _good = [];
    private readonly string[] _labels;

    public LoaderTests(MediaFiles media)
    {
        _media = media;
        // Ten 0.4 s tones, each its own class, so the label tensor tells which clip landed where.
        for (var i = 0; i < Clips; i++)
        {
            var wave = Enumerable.Range(0, 6400).Select(t => 0.3f * MathF.Sin(2 * MathF.PI * (200 + 150 * i) * t / 16000f)).ToArray();
            var name = $"tone{i:00}.wav";
            WavFile.WritePcm16(Path.Combine(_folder, name), wave, 16000);
            _good.Add(Entry(name, $"c{i:00}"));
        }
        _labels = _good.Select(e => e.Label!).ToArray();
    }

    private ManifestEntry Entry(string name, string label) =>
        new(Path.IsPathRooted(name) ? name : Path.Combine(_folder, name), name, [label], TimeWindow.Whole, "train", 0);

    private static IClipFeatures[] Fbank() => [new FbankClipFeatures("audio", frames: 32, mean: -4.268, std: 4.569)];

    private static long[] Labels(Batch batch) => batch[LoaderOptions.LabelInput].ToArray<long>();

    [Fact]
    public void Batches_follow_a_seeded_shuffle_per_epoch_and_span_epochs()
    {
        using var a = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 1, Labels: _labels));
        using var b = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 1, Labels: _labels));
        var seen = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            using var x = a.Next(4);
            using var y = b.Next(4);
            Assert.Equal(Labels(x), Labels(y));
            Assert.Equal(x["audio"].ToArray<float>(), y["audio"].ToArray<float>());
            Assert.Equal([4L, 32, 128], x["audio"].Shape);
            seen.AddRange(Labels(x));
        }
        var epoch0 = MediaBatchLoader.Order(Clips, 1, 0).Select(i => (long)i).ToArray();
        var epoch1 = MediaBatchLoader.Order(Clips, 1, 1).Select(i => (long)i).ToArray();
        Assert.Equal([.. epoch0, .. epoch1], seen);
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(Enumerable.Range(0, Clips).Select(i => (long)i), epoch0.Order());
        Assert.NotEqual(epoch0, MediaBatchLoader.Order(Clips, 2, 0).Select(i => (long)i));
        Assert.Equal(new LoaderPosition(2, 0), a.Position);
    }

    [Fact]
    public void A_loader_started_at_a_saved_position_continues_identically()
    {
        using var first = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 5, Labels: _labels));
        using (first.Next(3)) { }
        using (first.Next(3)) { }
        var saved = first.Position;
        Assert.Equal(new LoaderPosition(0, 6), saved);
        using var expected = first.Next(7);

        using var resumed = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 5, Start: saved, Labels: _labels));
        using var actual = resumed.Next(7);
        Assert.Equal(Labels(expected), Labels(actual));
        Assert.Equal(expected["audio"].ToArray<float>(), actual["audio"].ToArray<float>());
    }

    [Fact]
    public void A_loaded_state_dict_moves_a_running_loader_to_the_saved_position_across_epochs()
    {
        using var first = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 7, Labels: _labels));
        for (var i = 0; i < 3; i++)
            using (first.Next(4)) { }
        var saved = first.StateDict();
        Assert.Equal(new Dictionary<string, string> { ["epoch"] = "1", ["index"] = "2" }, saved);
        using var expected = first.Next(12); // the rest of epoch 1 and into epoch 2

        // A loader that has already prefetched (and read) from its own start drops that and continues from the saved state.
        using var resumed = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 7, Labels: _labels));
        using (resumed.Next(1)) { }
        resumed.LoadStateDict(saved);
        Assert.Equal(new LoaderPosition(1, 2), resumed.Position);
        using var actual = resumed.Next(12);
        Assert.Equal(Labels(expected), Labels(actual));
        Assert.Equal(expected["audio"].ToArray<float>(), actual["audio"].ToArray<float>());
        Assert.Equal(first.StateDict(), resumed.StateDict());

        Assert.Throws<ArgumentException>(() => resumed.LoadStateDict(new Dictionary<string, string> { ["epoch"] = "1" }));
        Assert.Throws<ArgumentException>(() => resumed.LoadStateDict(new Dictionary<string, string> { ["epoch"] = "0", ["index"] = "11" }));
    }

    [Fact]
    public void The_cache_serves_the_second_epoch_and_a_second_loader_without_decoding()
    {
        var cache = Path.Combine(_folder, "cache");
        float[] uncached;
        using (var plain = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 3, Shuffle: false)))
        using (var batch = plain.Next(Clips))
            uncached = batch["audio"].ToArray<float>();

        using (var loader = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 3, Shuffle: false, CacheDirectory: cache)))
        {
            using (var epoch0 = loader.Next(Clips))
                Assert.Equal(uncached, epoch0["audio"].ToArray<float>());
            using (var epoch1 = loader.Next(Clips))
                Assert.Equal(uncached, epoch1["audio"].ToArray<float>());
            Assert.Equal(Clips, loader.Statistics.CacheMisses);
            Assert.True(loader.Statistics.CacheHits >= Clips); // plus whatever the producer prefetched since
        }
        using (var again = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 3, Shuffle: false, CacheDirectory: cache)))
        {
            using (again.Next(Clips)) { }
            Assert.Equal(0, again.Statistics.CacheMisses);
        } // disposed, so its prefetching cannot see the edit below

        // An edited file misses: the key is the content, not the name.
        WavFile.WritePcm16(_good[0].Path, new float[8000], 16000);
        using var edited = new MediaBatchLoader(_good, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 3, Shuffle: false, CacheDirectory: cache));
        using (edited.Next(Clips)) { }
        Assert.Equal(1, edited.Statistics.CacheMisses);
    }

    [Fact]
    public void Bad_inputs_are_skipped_counted_and_logged_under_the_limit()
    {
        var log = Path.Combine(_folder, "bad-inputs.log");
        var entries = new List<ManifestEntry>(_good)
        {
            Entry("gone.wav", "c00"),
            Entry(_media.At("empty.wav"), "c01"),
            Entry(_media.At("truncated.mp4"), "c02"),
            Entry(_media.At("corrupt.mp4"), "c03"),
            Entry(_media.At("red.mp4"), "c04"),
        };
        using var loader = new MediaBatchLoader(entries, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 9, BadInputLogPath: log, BadShareLimit: 0.4, Labels: _labels));
        for (var i = 0; i < 4; i++)
            using (loader.Next(5)) { } // 20 good clips: two epochs' worth, every bad file met at least once

        Assert.Equal(5, loader.BadInputs.Count);
        var reasons = loader.BadInputs.CountsByReason();
        Assert.Equal(1, reasons[BadInputReason.Missing]);
        Assert.Equal(1, reasons[BadInputReason.Empty]);
        Assert.Equal(1, reasons[BadInputReason.Truncated]);
        Assert.Equal(1, reasons[BadInputReason.Corrupt]);
        Assert.Equal(1, reasons[BadInputReason.NoStream]);
        var lines = File.ReadAllLines(log);
        Assert.Equal(5, lines.Length); // each listed once, although met in two epochs
        Assert.Contains(lines, l => l.StartsWith("NoStream\t" + _media.At("red.mp4") + "\t", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Missing\t" + Path.Combine(_folder, "gone.wav"), StringComparison.Ordinal));
    }

    [Fact]
    public void The_run_stops_with_a_clear_message_past_the_bad_share_limit()
    {
        var log = Path.Combine(_folder, "bad-inputs.log");
        var entries = new List<ManifestEntry>(_good) { Entry(_media.At("corrupt.mp4"), "c00") };
        using var loader = new MediaBatchLoader(entries, Fbank(), new LoaderOptions(Prefetch: 8, Seed: 0, BadInputLogPath: log));
        var error = Assert.Throws<BadInputLimitExceededException>(() =>
        {
            for (var i = 0; i < 3; i++) using (loader.Next(Clips)) { }
        });
        Assert.Contains("1 of 11 inputs", error.Message);
        Assert.Contains("corrupt", error.Message);
        Assert.Contains(_media.At("corrupt.mp4"), error.Message);
        Assert.Contains(log, error.Message);
        Assert.Contains("Fix or remove those files from the manifest", error.Message);
    }

    [Fact]
    public void Audio_and_video_of_an_mp4_arrive_as_two_inputs()
    {
        var clip = Entry(_media.At("clip.mp4"), "c00");
        IClipFeatures[] features = [new FbankClipFeatures("audio", 64, -4.268, 4.569), new VideoClipFeatures("video", new VideoFrameSettings(Frames: 2, Fps: 2, Size: 32))];
        using var loader = new MediaBatchLoader([clip], features, new LoaderOptions(Workers: 1, Prefetch: 2));
        using var batch = loader.Next(2);
        Assert.Equal([2L, 64, 128], batch["audio"].Shape);
        Assert.Equal([2L, 3, 2, 32, 32], batch["video"].Shape); // channels first, as Conv3d takes it
    }

    [Fact]
    public void A_clip_missing_the_video_or_the_audio_an_audio_video_spec_reads_is_skipped_and_logged_as_no_stream()
    {
        var log = Path.Combine(_folder, "bad-inputs.log");
        var av = Enumerable.Range(0, 6).Select(i => Entry(_media.At("clip.mp4"), "c00") with { Line = i }).ToList();
        var entries = new List<ManifestEntry>(av) { Entry(_media.At("sine.ogg"), "c00"), Entry(_media.At("red.mp4"), "c00") };
        IClipFeatures[] features = [new FbankClipFeatures("audio", 64, -4.268, 4.569), new VideoClipFeatures("video", new VideoFrameSettings(Frames: 2, Fps: 2, Size: 32))];
        using var loader = new MediaBatchLoader(entries, features, new LoaderOptions(Workers: 1, Prefetch: 4, Seed: 1, BadInputLogPath: log, BadShareLimit: 0.3));
        using (var batch = loader.Next(8)) // more than the six good clips: every row is met once
            Assert.Equal([8L, 3, 2, 32, 32], batch["video"].Shape);

        Assert.Equal(2, loader.BadInputs.Count);
        Assert.Equal(2, loader.BadInputs.CountsByReason()[BadInputReason.NoStream]);
        var lines = File.ReadAllLines(log);
        Assert.Contains(lines, l => l.StartsWith("NoStream\t" + _media.At("sine.ogg") + "\t", StringComparison.Ordinal) && l.Contains("no video stream", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("NoStream\t" + _media.At("red.mp4") + "\t", StringComparison.Ordinal) && l.Contains("no audio stream", StringComparison.Ordinal));
    }

    [Fact]
    public void Video_asked_of_an_audio_only_manifest_is_refused_before_any_batch_with_the_manifest_and_what_to_do()
    {
        var manifest = Path.Combine(_folder, "tones.csv");
        File.WriteAllLines(manifest, ["path,label,split", .. _good.Select(e => $"{e.RelativePath},{e.Label},train")]);
        IClipFeatures[] features = [new FbankClipFeatures("audio", 64, -4.268, 4.569), new VideoClipFeatures("video", new VideoFrameSettings(Frames: 2, Fps: 2, Size: 32))];

        var error = Assert.Throws<ManifestException>(() => ManifestData.Open(new ManifestSplit(manifest, "train"), features, seed: 0, maxBad: 0.01));
        Assert.StartsWith(manifest + ": the spec's input `video` reads each clip's video stream, but none of the first 4 clips has one", error.Message);
        Assert.Contains("has: audio pcm_s16le", error.Message);
        Assert.Contains("Use a manifest of clips with video, or remove the input `video`", error.Message);

        using var audioOnly = ManifestData.Open(new ManifestSplit(manifest, "train"), [features[0]], seed: 0, maxBad: 0.01); // the audio input alone is fine
        using var batch = audioOnly.Next(2);
        Assert.Equal([2L, 64, 128], batch["audio"].Shape);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
