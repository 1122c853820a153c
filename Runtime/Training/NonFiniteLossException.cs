using System.Globalization;

namespace AvDsl.Runtime.Training;

/// <summary>A step's loss or a gradient was NaN or infinite under <c>non_finite: stop</c>. The optimizer did not step with
/// it and no checkpoint was written after it; the message names the step, the loss terms, the parameter, the last good
/// checkpoint and what to try.</summary>
/// <param name="clip">The run's <c>clip</c>, so that the advice fits the spec.</param>
public sealed class NonFiniteLossException(NonFiniteStep bad, string? lastGoodCheckpoint, double? clip = null)
    : Exception(Compose(bad, lastGoodCheckpoint, clip))
{
    public NonFiniteStep Bad { get; } = bad;

    /// <summary>The newest checkpoint-step-N.safetensors written before the bad step; null when none was.</summary>
    public string? LastGoodCheckpoint { get; } = lastGoodCheckpoint;

    private static string Compose(NonFiniteStep bad, string? checkpoint, double? clip)
    {
        var step = bad.Step.ToString(CultureInfo.InvariantCulture);
        var kept = checkpoint is null
            ? "no checkpoint was written before it"
            : $"'{checkpoint}' is the last good checkpoint (nothing was written after it)";
        var clipping = clip is { } norm
            ? $"a `clip` below {NonFiniteStep.Format(norm)}"
            : "`clip: 1.0` in `train`";
        return $"step {step} had a non-finite loss or gradient: {bad.Describe()}. The run stopped before the optimizer used it; {kept}. " +
               $"The same spec and seed meet the same step again, so change the spec and start a new run: a lower `lr` or a longer warmup, " +
               $"{clipping}, or `non_finite: skip` to skip such steps and go on.";
    }
}
