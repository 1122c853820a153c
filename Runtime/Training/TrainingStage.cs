using AvDsl.Runtime.Data;

namespace AvDsl.Runtime.Training;

/// <summary>
/// One stage of a sequence of tasks: the tasks it trains at once (one, in continual learning; all of them, for the multitask
/// upper bound). As a data source it is the union of their clips, in the order the tasks are listed.
/// </summary>
public sealed record TrainingStage(IReadOnlyList<DataTask> Tasks) : IDataSource
{
    /// <summary>"speech" or "speech+notes".</summary>
    public string Name => string.Join("+", Tasks.Select(t => t.Name));

    public IBatchSource Open(IReadOnlyList<IClipFeatures> inputs, long seed, DataShard shard) =>
        ManifestData.Open(Tasks.Select(t => t.Source.Clips()).ToList(), inputs, seed, Tasks.Max(t => t.Source.MaxBad), shard);

    /// <summary>The clips of a one-task stage; a stage of several tasks spans several listings, so none.</summary>
    public ManifestSplit? Clips() => Tasks.Count == 1 ? Tasks[0].Source.Clips() : null;

    /// <summary>How many clips a pass over the stage reads (its manifests listed, nothing decoded).</summary>
    public long CountClips() => Tasks.Sum(t => (long)t.Source.Clips().Load().Count);
}
