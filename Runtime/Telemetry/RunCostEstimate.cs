namespace AvDsl.Runtime.Telemetry;

/// <summary>
/// What a whole run of a spec costs, worked out before training (<see cref="StepCost.EstimateRun"/>): every step's batch
/// times a clip's training FLOPs at that step, so a masking curriculum and a moving batch are followed step by step.
/// </summary>
/// <param name="Steps">Steps in the run (its epochs over the manifest's clips, when it counts epochs).</param>
/// <param name="Clips">Clips the run trains on, the sum of its batches.</param>
/// <param name="FirstBatch">The first step's batch.</param>
/// <param name="LastBatch">The last step's batch.</param>
/// <param name="FirstClipFlops">A clip's training FLOPs at the first step.</param>
/// <param name="LastClipFlops">A clip's training FLOPs at the last step.</param>
/// <param name="TrainingFlops">The run's training FLOPs: Σ over steps of batch × a clip's FLOPs.</param>
public sealed record RunCostEstimate(long Steps, long Clips, int FirstBatch, int LastBatch, double FirstClipFlops, double LastClipFlops, double TrainingFlops)
{
    /// <summary>The run's FLOPs in units of its first step's: a run's time from one measured step, if time follows FLOPs.</summary>
    public double FirstStepEquivalents => TrainingFlops / (FirstBatch * FirstClipFlops);
}
