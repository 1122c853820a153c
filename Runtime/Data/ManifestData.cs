namespace AvDsl.Runtime.Data;

/// <summary>A spec's <c>data { train: manifest(path, split, cache, max_bad, labels) }</c>: the manifest's clips of one split (and
/// of some categories), each decoded into every input the spec declares, from a background loader with an on-disk feature cache.</summary>
public static class ManifestData
{
    /// <param name="clips">The manifest, split and labels; a relative path is relative to the current folder; an empty cache
    /// folder means <c>.feature-cache</c> beside the manifest.</param>
    /// <param name="maxBad">The share of unusable files past which the run stops (they are skipped and logged below it).</param>
    public static MediaBatchLoader Open(ManifestSplit clips, IReadOnlyList<IClipFeatures> inputs, long seed, double maxBad, DataShard? shard = null) =>
        Open([clips], inputs, seed, maxBad, shard);

    /// <summary>The clips of several manifests (or several tasks of one) at once, in the order given; features are cached in the
    /// first one's cache folder.</summary>
    public static MediaBatchLoader Open(IReadOnlyList<ManifestSplit> parts, IReadOnlyList<IClipFeatures> inputs, long seed, double maxBad, DataShard? shard = null)
    {
        var entries = new List<ManifestEntry>();
        foreach (var clips in parts)
        {
            var path = clips.Path;
            if (!File.Exists(path))
                throw new ManifestException($"{path}: no such manifest (a relative path is taken from the current folder, {Directory.GetCurrentDirectory()}); for the demo corpus run `avdsl corpus` first.");
            var manifest = Manifest.Load(path);
            var selected = clips.Select(manifest);
            if (selected.Count == 0)
                throw new ManifestException(clips.Labels is { Count: > 0 } labels && manifest.Split(clips.Split).Count > 0
                    ? $"{path}: no clips of split '{clips.Split}' carry the labels {string.Join(", ", labels)}; its labels are {string.Join(", ", manifest.LabelSet())}."
                    : $"{path}: no clips in split '{clips.Split}'; its splits are {string.Join(", ", manifest.Entries.Select(e => e.Split).Distinct())}.");
            ManifestStreams.Require(path, selected, inputs);
            entries.AddRange(selected);
        }
        return new MediaBatchLoader(entries, inputs, new LoaderOptions(Seed: seed, CacheDirectory: parts[0].CacheFolder, BadShareLimit: maxBad, Shard: shard));
    }
}
