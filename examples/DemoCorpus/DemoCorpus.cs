using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.IO;

namespace AvDsl.Demo;

/// <summary>
/// The demo corpus, synthesised on this machine from Debian's own tools and fixed by a seed:
/// <list type="bullet">
/// <item><b>keywords</b> (Speech-Commands-like): ten command words spoken by espeak-ng in twelve voices
/// (accents x voice variants) at seeded speeds and pitches, 1 s each; split by voice (8 train, 2 val, 2 test),
/// so a model is tested on speakers it never heard.</item>
/// <item><b>notes</b> (NSynth-like): eight General MIDI instruments (one per family) playing MIDI pitches
/// 36-84 (four octaves) at seeded velocities, rendered by fluidsynth with a GM soundfont, 2 s each; split by
/// pitch (pitch mod 5 = 3 → val, 4 → test), so test pitches are unheard: 80 clips in each held-out split.</item>
/// </list>
/// Pre-training also gets an unlabelled <b>pool</b>, as EAT pre-trains on AudioSet before its downstream tasks:
/// twenty other words (Speech Commands' auxiliary words and digits) spoken once by each training voice, and eight
/// other GM programs at the notes task's training pitches — no held-out voice, pitch or clip.
/// Every clip is an mp4 (H.264 + AAC) whose video follows its sound (<see cref="SoundVideoRenderer"/>:
/// a class-specific shape and colour sized by loudness, kicked up at onsets; for notes its height is the pitch).
/// Each task has a manifest.csv (path,label,split); pretrain.csv lists every clip, the pool's as train; continual/ holds
/// the continual benchmark's four task manifests (<see cref="ContinualBenchmark"/>). The corpus is built in a staging
/// folder and renamed into place; corpus.json, written last, records the version and seed, and a matching one means
/// "already built". Clips are encoded in batches (<see cref="BatchSize"/>), one ffmpeg run per batch rather than per
/// clip (<see cref="ClipEncoder"/>); a clip's bytes do not depend on its batch.
/// </summary>
public static class DemoCorpus
{
    public const int Version = 5;
    public const string StampFile = "corpus.json";
    public const string ManifestFile = "manifest.csv";

    /// <summary>Every clip of every task with its split, for pre-training on the whole corpus without labels' help.</summary>
    public const string PretrainManifestFile = "pretrain.csv";
    public static readonly string[] Tasks = ["keywords", "notes"];

    /// <summary>The folder (and <see cref="DemoCorpusClip.Task"/>) of the unlabelled pre-training pool.</summary>
    public const string Pool = "pool";
    public const string DefaultSoundFont = "/usr/share/sounds/sf2/TimGM6mb.sf2";

    private static readonly string[] Words = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"];

    /// <summary>The keywords task's labels (its words), in the order that fixes each one's shape and colour.</summary>
    public static string[] KeywordLabels => [.. Words];

    /// <summary>The notes task's labels (instrument families), in the order that fixes each one's shape and colour.</summary>
    public static string[] NoteLabels => [.. Instruments.Select(i => i.Family)];
    private static readonly string[] Voices =
    [
        "en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp", "en-gb-x-gbclan",
        "en-gb-x-gbcwmd", "en-us+f2", "en-gb+f3", "en-us+m3", "en-gb-scotland+f4", "en-029+m5",
    ];
    private static readonly (string Family, int Program)[] Instruments =
    [
        ("keyboard", 0), ("mallet", 11), ("organ", 19), ("guitar", 24), ("bass", 33), ("string", 40), ("brass", 56), ("flute", 73),
    ];
    private const int TrainVoices = 8;
    private static readonly string[] PoolWords =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
    ];
    private static readonly (string Name, int Program)[] PoolInstruments =
    [
        ("electric-piano", 4), ("xylophone", 13), ("drawbar-organ", 16), ("steel-guitar", 25),
        ("acoustic-bass", 32), ("string-ensemble", 48), ("brass-section", 61), ("clarinet", 71),
    ];
    private static readonly (byte, byte, byte)[] Palette =
    [
        (230, 60, 60), (60, 200, 90), (70, 120, 240), (240, 200, 50), (200, 80, 220),
        (60, 210, 220), (250, 140, 40), (150, 230, 60), (240, 110, 170), (170, 170, 255),
    ];

    public const double KeywordSeconds = 1.0;
    public const double NoteSeconds = 2.0;
    public const int LowestPitch = 36;
    public const int HighestPitch = 84;

    /// <summary>The clips a seed plans, in a fixed order; all randomness is drawn here, sequentially.</summary>
    public static IReadOnlyList<DemoCorpusClip> Plan(long seed)
    {
        var random = new HostRandom(seed);
        var clips = new List<DemoCorpusClip>();
        for (var v = 0; v < Voices.Length; v++)
        {
            var split = v < TrainVoices ? "train" : v < TrainVoices + 2 ? "val" : "test";
            foreach (var word in Words)
                for (var take = 0; take < 2; take++)
                {
                    var speed = random.Next(120, 200);
                    var pitch = random.Next(20, 80);
                    var offset = random.Uniform(0.0, 0.25);
                    var voiceName = Voices[v].Replace('+', '-');
                    clips.Add(new DemoCorpusClip("keywords", $"{word}-{voiceName}-{take}", word, split, Voices[v],
                        Text: word, Speed: speed, Pitch: pitch, Offset: offset, NoiseSeed: (long)random.NextUInt64()));
                }
        }
        foreach (var (family, program) in Instruments)
            for (var pitch = LowestPitch; pitch <= HighestPitch; pitch++)
            {
                var split = (pitch % 5) switch { 3 => "val", 4 => "test", _ => "train" };
                clips.Add(new DemoCorpusClip("notes", $"{family}-{pitch}", family, split, family,
                    Pitch: pitch, Program: program, Velocity: random.Next(70, 121), NoiseSeed: (long)random.NextUInt64()));
            }
        // The pool is drawn last, so the tasks' clips are those of a corpus without it.
        foreach (var voice in Voices.Take(TrainVoices))
            foreach (var word in PoolWords)
                clips.Add(new DemoCorpusClip(Pool, $"{word}-{voice.Replace('+', '-')}", word, "train", voice,
                    Text: word, Speed: random.Next(120, 200), Pitch: random.Next(20, 80), Offset: random.Uniform(0.0, 0.25),
                    NoiseSeed: (long)random.NextUInt64()));
        foreach (var (name, program) in PoolInstruments)
            for (var pitch = LowestPitch; pitch <= HighestPitch; pitch++)
            {
                if (pitch % 5 is 3 or 4) continue;   // the notes task's held-out pitches
                clips.Add(new DemoCorpusClip(Pool, $"{name}-{pitch}", name, "train", name,
                    Pitch: pitch, Program: program, Velocity: random.Next(70, 121), NoiseSeed: (long)random.NextUInt64()));
            }
        return clips;
    }

    /// <summary>The version in <paramref name="root"/>'s corpus.json, or null when there is none or it cannot be read.</summary>
    public static int? StampedVersion(string root)
    {
        var stamp = Path.Combine(root, StampFile);
        if (!File.Exists(stamp)) return null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(stamp));
            return json.RootElement.GetProperty("version").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="root"/> holds a finished corpus of this version and seed.</summary>
    public static bool IsBuilt(string root, long seed)
    {
        var stamp = Path.Combine(root, StampFile);
        if (!File.Exists(stamp)) return false;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(stamp));
            return json.RootElement.GetProperty("version").GetInt32() == Version
                && json.RootElement.GetProperty("seed").GetInt64() == seed
                && Tasks.All(t => File.Exists(Path.Combine(root, t, ManifestFile)))
                && File.Exists(Path.Combine(root, PretrainManifestFile))
                && ContinualBenchmark.Tasks.All(t => File.Exists(Path.Combine(root, ContinualBenchmark.Folder, t.ManifestFile)));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Clips encoded together, by one ffmpeg run.</summary>
    public const int BatchSize = 32;

    /// <summary>
    /// Builds the corpus into <paramref name="root"/> (which must not exist), reporting (done, total) as clips
    /// finish. <paramref name="clipsPerTask"/> keeps only the first clips of each task's plan (for tests).
    /// <paramref name="parallelism"/> is the number of batches rendered at once (default: one more than cores).
    /// </summary>
    public static DemoCorpusBuildReport Build(string root, long seed, string? soundFont = null, Action<int, int>? progress = null,
        int? parallelism = null, int? clipsPerTask = null, CancellationToken cancel = default)
    {
        soundFont ??= Environment.GetEnvironmentVariable("AVDSL_SOUNDFONT") ?? DefaultSoundFont;
        if (!File.Exists(soundFont))
            throw new FileNotFoundException($"The General MIDI soundfont {soundFont} is missing; install it (Debian: apt-get install timgm6mb-soundfont; ./avdsl installs it on first run) or set AVDSL_SOUNDFONT to another .sf2 file.", soundFont);
        if (Directory.Exists(root))
            throw new IOException($"{root} already exists; remove it (or pass --rebuild to `avdsl corpus`) to build the corpus again.");

        var clock = Stopwatch.StartNew();
        var full = Path.GetFullPath(root);
        var staging = $"{full}.partial-{Environment.ProcessId}";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var workers = parallelism ?? Environment.ProcessorCount + 1;
        var stages = new BuildStageClock();
        try
        {
            var plan = Plan(seed).GroupBy(c => c.Task).SelectMany(g => g.Take(clipsPerTask ?? int.MaxValue)).ToList();
            foreach (var folder in Tasks.Append(Pool)) Directory.CreateDirectory(Path.Combine(staging, folder, "clips"));
            var scratch = Directory.CreateDirectory(Path.Combine(staging, "scratch")).FullName;
            var renderer = new SoundVideoRenderer();
            var labels = Plan(seed).GroupBy(c => c.Task).ToDictionary(g => g.Key, g => g.Select(c => c.Label).Distinct().ToList());
            var done = 0;
            // One ffmpeg run encodes a batch; a clip comes out the same whichever batch it is in. One worker more than
            // cores: while one waits on a process starting or a file, the cores stay busy (measured on 2 cores, quiet:
            // 2 workers 85-88 s, 3 workers 74.5 s, 4 workers 77 s).
            var batches = plan.Chunk(BatchSize).ToList();
            try
            {
                Parallel.ForEach(Partitioner.Create(batches, EnumerablePartitionerOptions.NoBuffering),
                    new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancel }, batch =>
                {
                    RenderBatch(batch, staging, scratch, soundFont, renderer, labels, stages, cancel);
                    progress?.Invoke(Interlocked.Add(ref done, batch.Length), plan.Count);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The first batch that failed says what is wrong (a missing synthesizer, a voice, the soundfont).
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            Directory.Delete(scratch, recursive: true);
            foreach (var task in Tasks)
                Manifest.WriteCsv(Path.Combine(staging, task, ManifestFile),
                    plan.Where(c => c.Task == task).Select(c => (c.RelativePath, c.Label, c.Split)));
            Manifest.WriteCsv(Path.Combine(staging, PretrainManifestFile),
                plan.Select(c => ($"{c.Task}/{c.RelativePath}", c.Label, c.Split)));
            var continual = Directory.CreateDirectory(Path.Combine(staging, ContinualBenchmark.Folder)).FullName;
            foreach (var (task, rows) in ContinualBenchmark.Manifests(plan))
                Manifest.WriteCsv(Path.Combine(continual, task.ManifestFile), rows);
            Manifest.WriteCsv(Path.Combine(continual, ContinualBenchmark.MultitaskFile), ContinualBenchmark.Multitask(plan));
            var stamp = new Dictionary<string, object>
            {
                ["version"] = Version,
                ["seed"] = seed,
                ["soundfont"] = Path.GetFileName(soundFont),
                ["clips"] = Tasks.Append(Pool).ToDictionary(t => t, t => plan.Count(c => c.Task == t)),
                ["continual"] = ContinualBenchmark.Tasks.ToDictionary(t => t.ManifestFile, t => plan.Count(t.Holds)),
            };
            AtomicFile.Write(Path.Combine(staging, StampFile), s => JsonSerializer.Serialize(s, stamp, new JsonSerializerOptions { WriteIndented = true }));
            Directory.Move(staging, full);
            return stages.Report(clock.Elapsed, plan.Count, workers);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>One batch: each clip's sound (espeak-ng or fluidsynth, one process per clip), fitted, and its frames,
    /// in scratch files; then one ffmpeg run that writes every clip's mp4.</summary>
    private static void RenderBatch(DemoCorpusClip[] batch, string staging, string scratch, string soundFont,
        SoundVideoRenderer renderer, Dictionary<string, List<string>> labels, BuildStageClock stages, CancellationToken cancel)
    {
        var jobs = new List<ClipEncoder.Job>();
        foreach (var clip in batch)
        {
            float[] render;
            int rate;
            using (stages.Time(BuildStage.Synthesis, processes: 1))
            {
                if (clip.IsSpeech) render = ClipSound.Speak(clip, scratch, out rate, cancel);
                else (render, rate) = (ClipSound.Play(clip, soundFont, scratch, cancel), ClipSound.NoteSampleRate);
            }
            using (stages.Time(BuildStage.Drawing))
            {
                var fitted = ClipSound.Fit(clip, render, rate, clip.IsSpeech ? KeywordSeconds : NoteSeconds,
                    clip.IsSpeech ? "espeak-ng voice " + clip.Speaker : "fluidsynth, soundfont " + soundFont);
                var sound = Path.Combine(scratch, clip.Name + ".wav");
                WavFile.WritePcm16(sound, fitted, rate);
                var classIndex = labels[clip.Task].IndexOf(clip.Label);
                var height = clip.IsSpeech ? 0.5 : (double)(clip.Pitch - LowestPitch) / (HighestPitch - LowestPitch);
                var frames = Path.Combine(scratch, clip.Name + ".rgb");
                File.WriteAllBytes(frames, renderer.Render(fitted, rate, (SoundVideoRenderer.Shape)(classIndex % 5),
                    Palette[classIndex % Palette.Length], height));
                jobs.Add(new ClipEncoder.Job(frames, sound, Path.Combine(staging, clip.Task, clip.RelativePath)));
            }
        }

        using (stages.Time(BuildStage.Encoding, processes: 1))
            ClipEncoder.Encode(jobs, renderer.Size, renderer.Fps, cancel);
        foreach (var job in jobs)
        {
            File.Delete(job.Frames);
            File.Delete(job.Sound);
        }
    }
}
