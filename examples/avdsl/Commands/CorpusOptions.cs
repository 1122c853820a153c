namespace AvDsl.Cli.Commands;

/// <summary>What <c>avdsl corpus</c> was asked for.</summary>
public sealed record CorpusOptions(string Folder, long Seed, bool Rebuild, string? SoundFont);
