namespace AvDsl.Runtime.Training;

/// <summary>A finished (or cancelled) run: its directory, the per-step records and the checkpoint written at the end.</summary>
public sealed record RunResult(string RunDirectory, IReadOnlyList<StepRecord> Steps, string CheckpointPath)
{
    /// <summary>True when the run stopped early because its CancellationToken fired (the checkpoint is then named after the last step).</summary>
    public bool Cancelled { get; init; }

    /// <summary>The steps of <see cref="Steps"/> whose update <c>non_finite: skip</c> skipped, in order.</summary>
    public IReadOnlyList<long> SkippedSteps => Steps.Where(s => s.Skipped).Select(s => s.Step).ToList();
}
