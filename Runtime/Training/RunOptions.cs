using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// How to run a plan: where runs go, an optional step-count override, an explicit (new or empty) run directory,
/// and the device to train on (null = the CPU; see <see cref="Torch.Device.Select"/>).
/// </summary>
public sealed record RunOptions(string RunRoot = "runs", long? Steps = null, string? RunDirectory = null, Device? Device = null)
{
    /// <summary>When to write the periodic checkpoint a run can be resumed from (<see cref="Trainer.Resume"/>); every five minutes by default.</summary>
    public CheckpointInterval CheckpointEvery { get; init; } = CheckpointInterval.Default;

    /// <summary>Whether a new run's pretrained teachers read their weights from their runs (<see cref="SpecModel.LoadPretrained"/>)
    /// before the first step. Off only where those weights do not matter, such as timing steps.</summary>
    public bool LoadPretrained { get; init; } = true;

    /// <summary>Whether each step counts the matrix-product FLOPs it runs (<see cref="Torch.CostCounter"/>), logged as
    /// <c>flops</c> in metrics.jsonl: the measured side of the cost model, at the batch and masking each step really had.</summary>
    public bool CountFlops { get; init; }

    /// <summary>This process's part in a data-parallel run: it trains on its share of every global batch with gradients
    /// averaged over the ranks, and only rank 0 writes the run directory. Null: one process.</summary>
    public Distributed.DistributedRun? Distributed { get; init; }

    /// <summary>The <c>--set path=value</c> overrides the spec was resolved with, as typed; recorded in run.json.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>A path inside the user's project (the spec file), whose git commit run.json records; null: none.</summary>
    public string? Project { get; init; }

    /// <summary>The run's hyperparameters for TensorBoard's HParams table (strings, numbers, booleans), such as a sweep
    /// point's values and overrides; the spec's name and seed are added unless given. Empty by default. A resumed run keeps those of its start.</summary>
    public IReadOnlyDictionary<string, object> Hyperparameters { get; init; } = new Dictionary<string, object>();
}
