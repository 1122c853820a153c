using AvDsl.Runtime.Training;

namespace AvDsl.Cli.Sweeps;

/// <summary>Where a variant's run stands, read from its run directory.</summary>
public enum VariantProgress
{
    /// <summary>No run directory yet.</summary>
    NotStarted,
    /// <summary>Started, and killed before its first checkpoint: nothing to resume from.</summary>
    NoCheckpoint,
    /// <summary>A step checkpoint to resume from.</summary>
    Resumable,
    /// <summary>checkpoint-final.safetensors is there.</summary>
    Done,
}

/// <summary>A variant's run directory and what it holds.</summary>
public sealed record VariantState(string Name, string RunDirectory, VariantProgress Progress)
{
    public static VariantState Of(string sweepDirectory, string name)
    {
        var run = Path.Combine(sweepDirectory, name);
        if (!Directory.Exists(run) || !Directory.EnumerateFileSystemEntries(run).Any())
            return new(name, run, VariantProgress.NotStarted);
        if (File.Exists(Path.Combine(run, Trainer.FinalCheckpointName)))
            return new(name, run, VariantProgress.Done);
        return new(name, run, Directory.GetFiles(run, "checkpoint-step-*.safetensors").Length > 0 ? VariantProgress.Resumable : VariantProgress.NoCheckpoint);
    }

    /// <summary>How the summary and the report name where the run stands.</summary>
    public string Status => Progress switch
    {
        VariantProgress.Done => "done",
        VariantProgress.Resumable => "partial",
        VariantProgress.NoCheckpoint => "interrupted",
        _ => "not run",
    };

    /// <summary>The logged steps of the run; empty when it logged none.</summary>
    public IReadOnlyList<MetricsFile.Line> Metrics()
    {
        var path = Path.Combine(RunDirectory, Trainer.MetricsFileName);
        return File.Exists(path) ? MetricsFile.Read(path) : [];
    }
}
