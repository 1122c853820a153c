namespace AvDsl.Runtime.Data;

/// <summary>
/// How <see cref="MediaBatchLoader"/> reads: the shuffle seed, where to start (for resuming), how many clips
/// decode in the background at once and how far ahead, the feature cache folder, the bad-input log file and
/// limit, when <see cref="Labels"/> is given the class list whose indices fill a "label" tensor, and a data-parallel rank's shard.
/// </summary>
public sealed record LoaderOptions(
    long Seed = 0,
    LoaderPosition? Start = null,
    bool Shuffle = true,
    int Workers = 2,
    int Prefetch = 64,
    string? CacheDirectory = null,
    string? BadInputLogPath = null,
    double BadShareLimit = BadInputLog.DefaultLimit,
    IReadOnlyList<string>? Labels = null,
    DataShard? Shard = null)
{
    /// <summary>The positions of each epoch this loader reads: all of them unless a data-parallel rank's.</summary>
    public DataShard Shard { get; init; } = Shard ?? DataShard.Whole;

    public const string LabelInput = "label";
}
