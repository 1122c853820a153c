namespace AvDsl.Runtime.Data;

/// <summary>A spec's <c>data { train: manifest(path, split, cache, max_bad) }</c>: the manifest's clips of one split,
/// each decoded into every input the spec declares, from a background loader with an on-disk feature cache.</summary>
public static class ManifestData
{
    /// <param name="path">The manifest; a relative path is relative to the current folder.</param>
    /// <param name="cache">The feature cache folder; empty for <c>.feature-cache</c> beside the manifest.</param>
    /// <param name="maxBad">The share of unusable files past which the run stops (they are skipped and logged below it).</param>
    public static MediaBatchLoader Open(string path, string split, IReadOnlyList<IClipFeatures> inputs, long seed, string cache, double maxBad)
    {
        if (!File.Exists(path))
            throw new ManifestException($"{path}: no such manifest (a relative path is taken from the current folder, {Directory.GetCurrentDirectory()}); for the demo corpus run `avdsl corpus` first.");
        var manifest = Manifest.Load(path);
        var entries = manifest.Split(split);
        if (entries.Count == 0)
            throw new ManifestException($"{path}: no clips in split '{split}'; its splits are {string.Join(", ", manifest.Entries.Select(e => e.Split).Distinct())}.");
        ManifestStreams.Require(path, entries, inputs);
        var folder = string.IsNullOrEmpty(cache) ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ".feature-cache") : cache;
        return new MediaBatchLoader(entries, inputs, new LoaderOptions(Seed: seed, CacheDirectory: folder, BadShareLimit: maxBad));
    }
}
