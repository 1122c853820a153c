using AvDsl.Runtime.Data;

namespace AvDsl.Runtime.Training;

/// <summary>A task of a sequence of tasks (<c>task speech = manifest(…)</c>): it trains on its source's split and is evaluated on
/// the same clips' test split.</summary>
public sealed record DataTask(string Name, ManifestSource Source)
{
    public const string TestSplit = "test";

    /// <summary>The clips the task is evaluated on.</summary>
    public ManifestSource Test => Source.InSplit(TestSplit);
}
