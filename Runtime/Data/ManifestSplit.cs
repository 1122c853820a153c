namespace AvDsl.Runtime.Data;

/// <summary>The clips of a manifest a data source reads: those of <paramref name="Split"/>, or every row when it is null; of
/// <paramref name="Labels"/>' categories only when it lists any (a clip with several labels is in when one of them is).</summary>
/// <param name="Path">The manifest file; a relative path is taken from the current folder.</param>
/// <param name="Cache">The raw-feature cache folder; null or empty for <c>.feature-cache</c> beside the manifest.</param>
public sealed record ManifestSplit(string Path, string? Split, string? Cache = null, IReadOnlyList<string>? Labels = null)
{
    /// <summary>Where decoded features of these clips are cached.</summary>
    public string CacheFolder => string.IsNullOrEmpty(Cache)
        ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!, ".feature-cache")
        : Cache;

    /// <summary>The clips in the manifest's order.</summary>
    public IReadOnlyList<ManifestEntry> Load() => Select(Manifest.Load(Path));

    /// <summary>This split's clips of <paramref name="manifest"/> (loaded from <see cref="Path"/>).</summary>
    public IReadOnlyList<ManifestEntry> Select(Manifest manifest)
    {
        var entries = manifest.Split(Split);
        if (Labels is not { Count: > 0 } labels) return entries;
        var wanted = labels.ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => e.Labels.Any(wanted.Contains)).ToList();
    }

    /// <summary>"data/demo-corpus/pretrain.csv (split train)", for messages.</summary>
    public override string ToString() =>
        (Split is null ? Path : $"{Path} (split {Split})") + (Labels is { Count: > 0 } labels ? $" labels {string.Join(", ", labels)}" : "");
}
