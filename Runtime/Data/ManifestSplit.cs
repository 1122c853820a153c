namespace AvDsl.Runtime.Data;

/// <summary>The clips of a manifest a data source reads: those of <paramref name="Split"/>, or every row when it is null.</summary>
/// <param name="Path">The manifest file; a relative path is taken from the current folder.</param>
/// <param name="Cache">The raw-feature cache folder; null or empty for <c>.feature-cache</c> beside the manifest.</param>
public sealed record ManifestSplit(string Path, string? Split, string? Cache = null)
{
    /// <summary>Where decoded features of these clips are cached.</summary>
    public string CacheFolder => string.IsNullOrEmpty(Cache)
        ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!, ".feature-cache")
        : Cache;

    /// <summary>The clips in the manifest's order.</summary>
    public IReadOnlyList<ManifestEntry> Load() => Manifest.Load(Path).Split(Split);

    /// <summary>"data/demo-corpus/pretrain.csv (split train)", for messages.</summary>
    public override string ToString() => Split is null ? Path : $"{Path} (split {Split})";
}
