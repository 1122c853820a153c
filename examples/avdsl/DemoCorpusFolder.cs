using AvDsl.Demo;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli;

/// <summary>The demo corpus on disk as the CLI uses it: built on first use, rebuilt when an older AvDsl made it,
/// described. The only place the CLI calls the synthesizer (<see cref="DemoCorpus"/>).</summary>
public sealed class DemoCorpusFolder(CommandOutput output)
{
    public const string DefaultRoot = "data/demo-corpus";
    public const long DefaultSeed = 0;

    public static string DefaultSoundFont => DemoCorpus.DefaultSoundFont;

    /// <summary>The labelled tasks, each a folder holding a manifest.</summary>
    public static IReadOnlyList<string> Tasks => DemoCorpus.Tasks;

    /// <summary>Every task's train clips and the unlabelled pool: what pre-training reads.</summary>
    public static string PretrainManifest(string folder) => Path.Combine(folder, DemoCorpus.PretrainManifestFile);

    /// <summary>Deletes the corpus at <paramref name="folder"/> to build it again, unless the folder is not a demo corpus.</summary>
    public CommandResult Remove(string folder)
    {
        if (!Directory.Exists(folder)) return CommandResult.Ok;
        if (!File.Exists(Path.Combine(folder, DemoCorpus.StampFile)))
        {
            output.Error.WriteLine($"avdsl corpus: {folder} has no {DemoCorpus.StampFile}, so it is not a demo corpus; not deleting it. Choose another --out.");
            return CommandResult.Failed;
        }
        Directory.Delete(folder, recursive: true);
        return CommandResult.Ok;
    }

    /// <summary>Builds the corpus unless a finished one with this seed is there; prints progress lines.</summary>
    public CommandResult Ensure(string folder, long seed, string? soundFont, CancellationToken cancel)
    {
        if (DemoCorpus.IsBuilt(folder, seed))
        {
            output.Out.WriteLine($"demo corpus: {folder} (cached, seed {seed})");
            return CommandResult.Ok;
        }
        if (Directory.Exists(folder) && DemoCorpus.StampedVersion(folder) is { } old && old < DemoCorpus.Version)
        {
            // Built by an older AvDsl from the same deterministic plan: nothing of the user's is in it.
            output.Out.WriteLine($"demo corpus: {folder} is version {old}; this AvDsl builds version {DemoCorpus.Version}, so it is rebuilt");
            Directory.Delete(folder, recursive: true);
        }
        if (Directory.Exists(folder))
        {
            output.Error.WriteLine($"avdsl: {folder} exists but is not a finished demo corpus with seed {seed}; run `./avdsl corpus --rebuild --seed {seed}` to replace it, or remove it.");
            return CommandResult.Failed;
        }
        output.Out.WriteLine($"demo corpus: building {folder} from seed {seed} (first use only; espeak-ng, fluidsynth and ffmpeg)");
        var lastTenth = 0;
        try
        {
            var report = DemoCorpus.Build(folder, seed, soundFont, (done, total) =>
            {
                var tenth = done * 10 / total;
                if (Interlocked.Exchange(ref lastTenth, Math.Max(tenth, lastTenth)) < tenth)
                    output.Out.WriteLine($"  {done}/{total} clips");
            }, cancel: cancel);
            output.Out.WriteLine($"demo corpus: built in {report}");
            return CommandResult.Ok;
        }
        catch (OperationCanceledException)
        {
            output.Error.WriteLine("avdsl: corpus build stopped; nothing was left behind");
            return CommandResult.Failed;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or MediaToolMissingException or AggregateException)
        {
            var message = e is AggregateException aggregate ? aggregate.InnerExceptions[0].Message : e.Message;
            output.Error.WriteLine($"avdsl: the demo corpus could not be built: {message}");
            return CommandResult.Failed;
        }
    }

    /// <summary>Each task's clips, splits and labels, and the pre-training pool.</summary>
    public void Describe(string folder)
    {
        foreach (var task in DemoCorpus.Tasks)
        {
            var manifestPath = Path.Combine(folder, task, DemoCorpus.ManifestFile);
            var manifest = Manifest.Load(manifestPath);
            var splits = string.Join(", ", manifest.Entries.GroupBy(e => e.Split).Select(g => $"{g.Key} {g.Count()}"));
            var bytes = manifest.Entries.Sum(e => new FileInfo(e.Path).Length);
            output.Out.WriteLine($"{task,-9} {manifest.Entries.Count} clips ({splits}), {manifest.LabelSet().Count} labels: {string.Join(" ", manifest.LabelSet())}");
            output.Out.WriteLine($"          {manifestPath}  ({bytes / 1e6:0.0} MB of mp4)");
        }
        var pretrainPath = PretrainManifest(folder);
        var pretrain = Manifest.Load(pretrainPath).Entries.Where(e => e.Split == "train").ToList();
        var pool = pretrain.Where(e => e.RelativePath.StartsWith(DemoCorpus.Pool + "/", StringComparison.Ordinal)).ToList();
        output.Out.WriteLine($"{"pretrain",-9} {pretrain.Count} train clips: the tasks' {pretrain.Count - pool.Count} and an unlabelled pool of {pool.Count} " +
                             $"({pool.Sum(e => new FileInfo(e.Path).Length) / 1e6:0.0} MB of mp4)");
        output.Out.WriteLine($"          {pretrainPath}");
        DescribeContinual(folder);
    }

    /// <summary>The continual benchmark: each task's manifest, categories and clips per split.</summary>
    private void DescribeContinual(string folder)
    {
        output.Out.WriteLine($"continual {ContinualBenchmark.Tasks.Count} tasks of disjoint categories, in this order (train to pre-train, test for retrieval); " +
                             $"all at once: {Path.Combine(folder, ContinualBenchmark.Folder, ContinualBenchmark.MultitaskFile)}");
        foreach (var task in ContinualBenchmark.Tasks)
        {
            var manifestPath = Path.Combine(folder, ContinualBenchmark.Folder, task.ManifestFile);
            var manifest = Manifest.Load(manifestPath);
            var splits = string.Join(", ", manifest.Entries.GroupBy(e => e.Split).Select(g => $"{g.Key} {g.Count()}"));
            output.Out.WriteLine($"  {task.Number}. {task.Name,-10} {manifest.Entries.Count} clips ({splits}), {manifest.LabelSet().Count} labels: {string.Join(" ", task.Labels)}");
            output.Out.WriteLine($"             {manifestPath}");
        }
    }
}
