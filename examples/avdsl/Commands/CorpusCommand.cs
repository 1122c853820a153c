using System.CommandLine;
using AvDsl.Demo;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl corpus</c>: build (when missing) and describe the demo corpus.</summary>
public static class CorpusCommand
{
    public const string DefaultRoot = "data/demo-corpus";
    public const long DefaultSeed = 0;

    public static Command Create()
    {
        var root = new Option<string>("--out") { Description = "The corpus folder.", DefaultValueFactory = _ => DefaultRoot };
        var seed = new Option<long>("--seed") { Description = "Fixes every synthesised clip.", DefaultValueFactory = _ => DefaultSeed };
        var rebuild = new Option<bool>("--rebuild") { Description = "Delete an existing corpus at --out and build it again." };
        var soundFont = new Option<string?>("--soundfont") { Description = $"A General MIDI .sf2 file (default {DemoCorpus.DefaultSoundFont}, or AVDSL_SOUNDFONT)." };
        var command = new Command("corpus", "Build the demo corpus (spoken keywords from espeak-ng, instrument notes from fluidsynth, each an mp4 whose video follows the sound) and show what it holds.")
        {
            root, seed, rebuild, soundFont,
        };
        command.SetAction((result, cancel) =>
        {
            var folder = result.GetValue(root)!;
            if (result.GetValue(rebuild) && Directory.Exists(folder))
            {
                if (!File.Exists(Path.Combine(folder, DemoCorpus.StampFile)))
                {
                    Console.Error.WriteLine($"avdsl corpus: {folder} has no {DemoCorpus.StampFile}, so it is not a demo corpus; not deleting it. Choose another --out.");
                    return Task.FromResult(ExitCodes.Failed);
                }
                Directory.Delete(folder, recursive: true);
            }
            var status = Ensure(folder, result.GetValue(seed), result.GetValue(soundFont), cancel);
            if (status != ExitCodes.Ok) return Task.FromResult(status);
            Describe(folder);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Builds the corpus unless a finished one with this seed is there; prints progress lines.</summary>
    public static int Ensure(string folder, long seed, string? soundFont, CancellationToken cancel)
    {
        if (DemoCorpus.IsBuilt(folder, seed))
        {
            Console.WriteLine($"demo corpus: {folder} (cached, seed {seed})");
            return ExitCodes.Ok;
        }
        if (Directory.Exists(folder) && DemoCorpus.StampedVersion(folder) is { } old && old < DemoCorpus.Version)
        {
            // Built by an older AvDsl from the same deterministic plan: nothing of the user's is in it.
            Console.WriteLine($"demo corpus: {folder} is version {old}; this AvDsl builds version {DemoCorpus.Version}, so it is rebuilt");
            Directory.Delete(folder, recursive: true);
        }
        if (Directory.Exists(folder))
        {
            Console.Error.WriteLine($"avdsl: {folder} exists but is not a finished demo corpus with seed {seed}; run `./avdsl corpus --rebuild --seed {seed}` to replace it, or remove it.");
            return ExitCodes.Failed;
        }
        Console.WriteLine($"demo corpus: building {folder} from seed {seed} (first use only; espeak-ng, fluidsynth and ffmpeg)");
        var lastTenth = 0;
        try
        {
            var elapsed = DemoCorpus.Build(folder, seed, soundFont, (done, total) =>
            {
                var tenth = done * 10 / total;
                if (Interlocked.Exchange(ref lastTenth, Math.Max(tenth, lastTenth)) < tenth)
                    Console.WriteLine($"  {done}/{total} clips");
            }, cancel: cancel);
            Console.WriteLine($"demo corpus: built in {elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("avdsl: corpus build stopped; nothing was left behind");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or MediaToolMissingException or AggregateException)
        {
            var message = e is AggregateException aggregate ? aggregate.InnerExceptions[0].Message : e.Message;
            Console.Error.WriteLine($"avdsl: the demo corpus could not be built: {message}");
            return ExitCodes.Failed;
        }
    }

    private static void Describe(string folder)
    {
        foreach (var task in DemoCorpus.Tasks)
        {
            var manifestPath = Path.Combine(folder, task, DemoCorpus.ManifestFile);
            var manifest = Manifest.Load(manifestPath);
            var splits = string.Join(", ", manifest.Entries.GroupBy(e => e.Split).Select(g => $"{g.Key} {g.Count()}"));
            var bytes = manifest.Entries.Sum(e => new FileInfo(e.Path).Length);
            Console.WriteLine($"{task,-9} {manifest.Entries.Count} clips ({splits}), {manifest.LabelSet().Count} labels: {string.Join(" ", manifest.LabelSet())}");
            Console.WriteLine($"          {manifestPath}  ({bytes / 1e6:0.0} MB of mp4)");
        }
        var pretrainPath = Path.Combine(folder, DemoCorpus.PretrainManifestFile);
        var pretrain = Manifest.Load(pretrainPath).Entries.Where(e => e.Split == "train").ToList();
        var pool = pretrain.Where(e => e.RelativePath.StartsWith(DemoCorpus.Pool + "/", StringComparison.Ordinal)).ToList();
        Console.WriteLine($"{"pretrain",-9} {pretrain.Count} train clips: the tasks' {pretrain.Count - pool.Count} and an unlabelled pool of {pool.Count} " +
                          $"({pool.Sum(e => new FileInfo(e.Path).Length) / 1e6:0.0} MB of mp4)");
        Console.WriteLine($"          {pretrainPath}");
    }
}
