using System.CommandLine;
using System.Globalization;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl feature-stats &lt;manifest&gt;</c>: the fbank mean and std a spec's input normalises with.</summary>
public static class FeatureStatsCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string>("manifest") { Description = "A .csv or .jsonl manifest." };
        var split = new Option<string?>("--split") { Description = "Only this split (e.g. train); all clips when absent." };
        var cache = new Option<string?>("--cache") { Description = "A feature cache folder (reused by training with the same settings)." };
        var workers = new Option<int>("--workers") { Description = "Clips decoded at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var log = new Option<string?>("--bad-input-log") { Description = "Where skipped inputs are listed with their reasons." };
        var limit = new Option<double>("--bad-input-limit") { Description = "Stop when more than this share of clips is bad.", DefaultValueFactory = _ => BadInputLog.DefaultLimit };
        var command = new Command("feature-stats", "Compute the mean and standard deviation of fbank values (EAT's settings) over a manifest.")
        {
            manifest, split, cache, workers, log, limit,
        };
        command.SetAction((result, cancel) =>
        {
            try
            {
                var loaded = Manifest.Load(result.GetValue(manifest)!);
                var entries = loaded.Split(result.GetValue(split));
                if (entries.Count == 0)
                {
                    Console.Error.WriteLine($"avdsl feature-stats: {loaded.Path} has no clips in split '{result.GetValue(split)}'; its splits are: {string.Join(", ", loaded.Entries.Select(e => e.Split).Distinct())}");
                    return Task.FromResult(ExitCodes.Usage);
                }
                var stats = FbankStatistics.Compute(entries, cacheDirectory: result.GetValue(cache), workers: Math.Max(1, result.GetValue(workers)),
                    badInputLogPath: result.GetValue(log), badShareLimit: result.GetValue(limit), cancel: cancel);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mean {stats.Mean:0.0000}  std {stats.Std:0.0000}  over {stats.Clips} clips, {stats.Frames} frames"));
                if (stats.BadInputs.Count > 0)
                    Console.WriteLine($"skipped {stats.BadInputs.Count} bad input(s): {string.Join(", ", stats.BadInputs.CountsByReason().Select(p => $"{p.Value} {p.Key.ToString().ToLowerInvariant()}"))}" +
                        (stats.BadInputs.LogPath is null ? "" : $"; listed in {stats.BadInputs.LogPath}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spec: fbank(mel: 128, frames: ..., mean: {stats.Mean:0.###}, std: {stats.Std:0.###})"));
                return Task.FromResult(ExitCodes.Ok);
            }
            catch (Exception e) when (e is ManifestException or BadInputLimitExceededException or MediaToolMissingException)
            {
                Console.Error.WriteLine($"avdsl feature-stats: {e.Message}");
                return Task.FromResult(ExitCodes.Failed);
            }
        });
        return command;
    }
}
