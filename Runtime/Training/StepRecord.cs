namespace AvDsl.Runtime.Training;

/// <summary>One optimizer step as logged: 1-based step, loss, learning rate used, wall time, the loss terms, the
/// run's length in steps (known only once the data is open when a spec counts epochs), and the part of the wall time
/// spent waiting for the batch (<see cref="DataMs"/>: the loader did not keep up).</summary>
public sealed record StepRecord(long Step, double Loss, double LearningRate, double StepMs, IReadOnlyDictionary<string, double> Terms, long TotalSteps = 0,
    double DataMs = 0)
{
    /// <summary>Clips in the step's batch (0 where unknown: a record read from an older metrics file).</summary>
    public int Batch { get; init; }

    /// <summary>The step's matrix-product FLOPs, forward and backward, counted as it ran (<see cref="RunOptions.CountFlops"/>); null when not counted.</summary>
    public long? Flops { get; init; }

    /// <summary>The part of <see cref="StepMs"/> a data-parallel rank spent exchanging with the others: averaging the gradients
    /// and the logged loss (0 in one process).</summary>
    public double CommunicationMs { get; init; }

    /// <summary>The stage of a sequence of tasks the step trained (1-based); 0 for a run on one source.</summary>
    public int Stage { get; init; }

    /// <summary>True when the step's loss or a gradient was not finite and <c>non_finite: skip</c> skipped its update.</summary>
    public bool Skipped { get; init; }
}
