namespace AvDsl.Runtime.Data;

/// <summary>A spec's <c>data { train: … }</c>: where training examples come from, opened for the spec's inputs.</summary>
public interface IDataSource
{
    /// <summary>Batches for <paramref name="inputs"/>, fixed by <paramref name="seed"/>; a data-parallel rank reads its
    /// <paramref name="shard"/> of every epoch only.</summary>
    IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard);

    /// <summary>The manifest and split it reads clips from; null when it generates its data.</summary>
    ManifestSplit? Clips() => null;
}
