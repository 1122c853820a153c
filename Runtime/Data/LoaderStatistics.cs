namespace AvDsl.Runtime.Data;

/// <summary>
/// What a loader did so far: clips delivered, clips skipped as bad, cache hits and misses, and how long the
/// consumer waited inside <see cref="MediaBatchLoader.Next"/> for data (the number that says whether
/// training is data-bound).
/// </summary>
public sealed record LoaderStatistics(long Samples, int BadInputs, long CacheHits, long CacheMisses, TimeSpan WaitTime, long Batches);
