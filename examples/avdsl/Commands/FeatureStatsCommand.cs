using System.CommandLine;
using System.Globalization;
using AvDsl.Cli.Shell;
using AvDsl.Runtime.Data;

namespace AvDsl.Cli.Commands;

/// <summary><c>avdsl feature-stats &lt;manifest&gt;</c>: the fbank mean and std a spec's input normalises with.</summary>
public sealed class FeatureStatsCommand : ICliCommand
{
    private readonly CommandOutput output;
    private readonly Argument<string> manifest = new("manifest") { Description = "A .csv or .jsonl manifest." };
    private readonly Option<string?> split = new("--split") { Description = "Only this split (e.g. train); all clips when absent." };
    private readonly Option<string?> cache = new("--cache") { Description = "A feature cache folder (reused by training with the same settings)." };
    private readonly Option<int> workers = new("--workers") { Description = "Clips decoded at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
    private readonly Option<string?> log = new("--bad-input-log") { Description = "Where skipped inputs are listed with their reasons." };
    private readonly Option<double> limit = new("--bad-input-limit") { Description = "Stop when more than this share of clips is bad.", DefaultValueFactory = _ => BadInputLog.DefaultLimit };

    public FeatureStatsCommand(CommandOutput output)
    {
        this.output = output;
        Syntax = new Command("feature-stats", "Compute the mean and standard deviation of fbank values (EAT's settings) over a manifest.")
        {
            manifest, split, cache, workers, log, limit,
        };
    }

    public Command Syntax { get; }

    public CommandResult Invoke(ParseResult parsed, CancellationToken cancel) => Run(new FeatureStatsOptions(
        parsed.GetValue(manifest)!, parsed.GetValue(split), parsed.GetValue(cache), Math.Max(1, parsed.GetValue(workers)), parsed.GetValue(log), parsed.GetValue(limit)), cancel);

    public CommandResult Run(FeatureStatsOptions options, CancellationToken cancel)
    {
        try
        {
            var loaded = Manifest.Load(options.Manifest);
            var entries = loaded.Split(options.Split);
            if (entries.Count == 0)
            {
                output.Error.WriteLine($"avdsl feature-stats: {loaded.Path} has no clips in split '{options.Split}'; its splits are: {string.Join(", ", loaded.Entries.Select(e => e.Split).Distinct())}");
                return CommandResult.UsageError;
            }
            var stats = FbankStatistics.Compute(entries, cacheDirectory: options.Cache, workers: options.Workers,
                badInputLogPath: options.BadInputLog, badShareLimit: options.BadShareLimit, cancel: cancel);
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean {stats.Mean:0.0000}  std {stats.Std:0.0000}  over {stats.Clips} clips, {stats.Frames} frames"));
            if (stats.BadInputs.Count > 0)
                output.Out.WriteLine($"skipped {stats.BadInputs.Count} bad input(s): {string.Join(", ", stats.BadInputs.CountsByReason().Select(p => $"{p.Value} {p.Key.ToString().ToLowerInvariant()}"))}" +
                    (stats.BadInputs.LogPath is null ? "" : $"; listed in {stats.BadInputs.LogPath}"));
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spec: fbank(mel: 128, frames: ..., mean: {stats.Mean:0.###}, std: {stats.Std:0.###})"));
            return CommandResult.Ok;
        }
        catch (Exception e) when (e is ManifestException or BadInputLimitExceededException or MediaToolMissingException)
        {
            output.Error.WriteLine($"avdsl feature-stats: {e.Message}");
            return CommandResult.Failed;
        }
    }
}
