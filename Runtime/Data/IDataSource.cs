namespace AvDsl.Runtime.Data;

/// <summary>A spec's <c>data { train: … }</c>: where training examples come from, opened for the spec's inputs.</summary>
public interface IDataSource
{
    IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed);

    /// <summary>How many clips a pass holds, known without decoding anything; null for a source that never runs out.</summary>
    long? CountClips() => null;
}
