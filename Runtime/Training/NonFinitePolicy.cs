namespace AvDsl.Runtime.Training;

/// <summary>A spec's <c>train { non_finite: … }</c>: what a step does when its loss, a loss term or a gradient is NaN or
/// infinite. Either way the optimizer never steps with such gradients.</summary>
public enum NonFinitePolicy
{
    /// <summary>The run stops with the step, the loss terms and the first parameter whose gradient went bad; the last
    /// checkpoint written before it stays the newest (<see cref="NonFiniteLossException"/>).</summary>
    Stop,

    /// <summary>The step's update is skipped (no optimizer step, no EMA move, nothing offered to replay buffers, gradients
    /// zeroed); the step still counts, is logged with <c>"skipped": 1</c> and is listed at the end of the run.</summary>
    Skip,
}
