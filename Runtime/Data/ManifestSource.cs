namespace AvDsl.Runtime.Data;

/// <summary><c>manifest(path, split, cache, max_bad, labels)</c>: media files listed in a CSV or JSONL manifest, decoded in the
/// background with an on-disk feature cache (<see cref="ManifestData"/>). <c>labels</c> keeps the clips of those categories
/// only (a task of a continual benchmark); empty keeps every clip.</summary>
[Constraint("0 <= max_bad <= 1", "max_bad is a share of the files: 0 ≤ max_bad ≤ 1")]
[DataSource("manifest")]
public sealed record ManifestSource(string Path, string Split = "train", string Cache = "", double MaxBad = 0.01, [SpecDefault("[]")] string[]? Labels = null)
    : IDataSource
{
    public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) => ManifestData.Open(Clips(), inputs, seed, MaxBad, shard);

    public ManifestSplit Clips() => new(Path, Split, Cache, Labels);

    /// <summary>The same clips of another split: where a task is evaluated (its <c>test</c> split).</summary>
    public ManifestSource InSplit(string split) => this with { Split = split };
}
