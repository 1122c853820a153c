namespace AvDsl.Runtime.Data;

/// <summary><c>manifest(path, split, cache, max_bad)</c>: media files listed in a CSV or JSONL manifest, decoded in the
/// background with an on-disk feature cache (<see cref="ManifestData.Open"/>).</summary>
[Constraint("0 <= max_bad <= 1", "max_bad is a share of the files: 0 ≤ max_bad ≤ 1")]
[DataSource("manifest")]
public sealed record ManifestSource(string Path, string Split = "train", string Cache = "", double MaxBad = 0.01) : IDataSource
{
    public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed) => ManifestData.Open(Path, Split, inputs, seed, Cache, MaxBad);

    public ManifestSplit Clips() => new(Path, Split, Cache);
}
