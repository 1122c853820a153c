namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl feature-stats</c> was asked for.</summary>
/// <param name="Split">Only this split; all clips when null.</param>
/// <param name="BadShareLimit">Stop when more than this share of clips is bad.</param>
public sealed record FeatureStatsOptions(string Manifest, string? Split, string? Cache, int Workers, string? BadInputLog, double BadShareLimit);
