using AvDsl.Runtime.Data;

namespace AvDsl.Demo.Tests;

public sealed class DemoCorpusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-corpus-").FullName;

    [Fact]
    public void The_plan_splits_keywords_by_voice_and_notes_by_pitch()
    {
        var plan = DemoCorpus.Plan(0);
        var keywords = plan.Where(c => c.Task == "keywords").ToList();
        var notes = plan.Where(c => c.Task == "notes").ToList();
        Assert.Equal(240, keywords.Count);
        Assert.Equal(8 * 49, notes.Count);
        Assert.Equal(80, notes.Count(c => c.Split == "test"));
        Assert.Equal(80, notes.Count(c => c.Split == "val"));
        // No voice in two splits; no pitch in two splits.
        Assert.All(keywords.GroupBy(c => c.Speaker), g => Assert.Single(g.Select(c => c.Split).Distinct()));
        Assert.All(notes.GroupBy(c => c.Pitch), g => Assert.Single(g.Select(c => c.Split).Distinct()));
        Assert.Equal(["test", "train", "val"], keywords.Select(c => c.Split).Distinct().Order());
        Assert.Equal(plan, DemoCorpus.Plan(0));
        Assert.NotEqual(plan, DemoCorpus.Plan(1));
    }

    [Fact]
    public void The_pool_is_unlabelled_training_audio_from_no_held_out_voice_or_pitch()
    {
        var plan = DemoCorpus.Plan(0);
        var pool = plan.Where(c => c.Task == DemoCorpus.Pool).ToList();
        Assert.Equal(20 * 8 + 8 * 29, pool.Count);
        Assert.All(pool, c => Assert.Equal("train", c.Split));
        var heldOutVoices = plan.Where(c => c.Task == "keywords" && c.Split != "train").Select(c => c.Speaker).ToHashSet();
        var heldOutPitches = plan.Where(c => c.Task == "notes" && c.Split != "train").Select(c => c.Pitch).ToHashSet();
        Assert.DoesNotContain(pool.Where(c => c.IsSpeech), c => heldOutVoices.Contains(c.Speaker));
        Assert.DoesNotContain(pool.Where(c => !c.IsSpeech), c => heldOutPitches.Contains(c.Pitch));
        // No pool word is a keyword and no pool program is a notes instrument: the tasks' classes stay unseen in the pool.
        var taskClips = plan.Where(c => c.Task != DemoCorpus.Pool).ToList();
        Assert.Empty(pool.Where(c => c.IsSpeech).Select(c => c.Text).Intersect(taskClips.Where(c => c.IsSpeech).Select(c => c.Text)));
        Assert.Empty(pool.Where(c => !c.IsSpeech).Select(c => c.Program).Intersect(taskClips.Where(c => !c.IsSpeech).Select(c => c.Program)));
    }

    [Fact]
    public void A_seed_builds_identical_mp4s_whose_video_follows_the_sound()
    {
        var a = Path.Combine(_folder, "a");
        var b = Path.Combine(_folder, "b");
        DemoCorpus.Build(a, seed: 7, clipsPerTask: 2);
        DemoCorpus.Build(b, seed: 7, clipsPerTask: 2);
        Assert.True(DemoCorpus.IsBuilt(a, 7));
        Assert.False(DemoCorpus.IsBuilt(a, 8));
        Assert.Throws<IOException>(() => DemoCorpus.Build(a, seed: 7, clipsPerTask: 1));

        // The pre-training manifest lists every task's clips and the pool's, with their splits, under their folders.
        var pretrain = Manifest.Load(Path.Combine(a, DemoCorpus.PretrainManifestFile));
        Assert.Equal(2 * (DemoCorpus.Tasks.Length + 1), pretrain.Entries.Count);
        Assert.All(pretrain.Entries, e => Assert.True(File.Exists(e.Path), e.Path));
        Assert.Equal([.. DemoCorpus.Tasks, DemoCorpus.Pool], pretrain.Entries.Select(e => e.RelativePath.Split('/')[0]).Distinct());

        // The continual benchmark's manifests name the same clips, relative to continual/: the first two of each
        // corpus task are task 1's (yes) and task 2's (keyboard); tasks 3 and 4 get none of them.
        var continual = Path.Combine(a, ContinualBenchmark.Folder);
        Assert.Equal(ContinualBenchmark.Tasks.Select(t => t.ManifestFile).Append(ContinualBenchmark.MultitaskFile).Order(),
            Directory.GetFiles(continual).Select(Path.GetFileName).Order());
        var first = Manifest.Load(Path.Combine(continual, ContinualBenchmark.Tasks[0].ManifestFile));
        var second = Manifest.Load(Path.Combine(continual, ContinualBenchmark.Tasks[1].ManifestFile));
        Assert.Equal(Manifest.Load(Path.Combine(a, "keywords", DemoCorpus.ManifestFile)).Entries.Select(e => e.Path), first.Entries.Select(e => e.Path));
        Assert.Equal(Manifest.Load(Path.Combine(a, "notes", DemoCorpus.ManifestFile)).Entries.Select(e => e.Path), second.Entries.Select(e => e.Path));
        Assert.Equal(File.ReadAllBytes(Path.Combine(continual, ContinualBenchmark.Tasks[0].ManifestFile)),
            File.ReadAllBytes(Path.Combine(b, ContinualBenchmark.Folder, ContinualBenchmark.Tasks[0].ManifestFile)));

        foreach (var task in DemoCorpus.Tasks)
        {
            var manifest = Manifest.Load(Path.Combine(a, task, DemoCorpus.ManifestFile));
            Assert.Equal(2, manifest.Entries.Count);
            foreach (var entry in manifest.Entries)
            {
                var twin = Path.Combine(b, task, entry.RelativePath);
                Assert.Equal(File.ReadAllBytes(entry.Path), File.ReadAllBytes(twin));

                var info = MediaProbe.Probe(entry.Path);
                Assert.Equal("h264", info.FirstVideo!.Codec);
                Assert.Equal("aac", info.FirstAudio!.Codec);

                // Loud frames show a bigger, brighter shape: video energy tracks audio energy.
                var audio = AudioDecoder.Decode(entry.Path);
                var video = VideoDecoder.Decode(entry.Path, new VideoFrameSettings(Frames: null, Fps: 10, Size: 32), out var frames);
                var loudness = Enumerable.Range(0, frames).Select(f => Rms(audio, f * 1600, 1600)).ToArray();
                var light = Enumerable.Range(0, frames).Select(f => video.AsSpan(f * 3 * 1024, 3 * 1024).ToArray().Average(v => (double)v)).ToArray();
                Assert.True(Correlation(loudness, light) > 0.5, $"{entry.RelativePath}: video brightness does not follow loudness (r = {Correlation(loudness, light):0.00})");
            }
        }
    }

    private static double Rms(float[] x, int start, int length)
    {
        var end = Math.Min(x.Length, start + length);
        var sum = 0.0;
        for (var i = start; i < end; i++) sum += x[i] * x[i];
        return Math.Sqrt(sum / Math.Max(1, end - start));
    }

    private static double Correlation(double[] x, double[] y)
    {
        var n = Math.Min(x.Length, y.Length);
        double mx = x.Take(n).Average(), my = y.Take(n).Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my); }
        return sxy / Math.Sqrt(sxx * syy);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
