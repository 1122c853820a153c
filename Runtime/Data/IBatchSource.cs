namespace AvDsl.Runtime.Data;

/// <summary>Produces training batches; deterministic for a given seed.</summary>
public interface IBatchSource
{
    Batch Next(int batchSize);
}
