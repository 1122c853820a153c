namespace AvDsl.Runtime.Data;

/// <summary>A spec's <c>data { train: … }</c>: where training examples come from, opened for the spec's inputs.</summary>
public interface IDataSource
{
    IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed);
}
