namespace AvDsl.Runtime.Data;

/// <summary>A spec's <c>data { train: … }</c>: where training examples come from, opened for the spec's inputs.</summary>
public interface IDataSource
{
    IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed);

    /// <summary>The manifest and split it reads clips from; null when it generates its data.</summary>
    ManifestSplit? Clips() => null;
}
