namespace AvDsl.Runtime.Training;

/// <summary>A spec's <c>train { lr_scaling: … }</c>: how the learning rate follows a batch that changes during the run. The
/// <c>lr</c> schedule gives the rate for the batch of the first step; at step t it is multiplied by a power of
/// batch(t) / batch(0) (Goyal et al.'s linear rule, or the square-root rule often used with Adam).</summary>
public enum LearningRateScaling
{
    /// <summary>The rate is the schedule's, whatever the batch.</summary>
    None,

    /// <summary>× batch(t) / batch(0).</summary>
    Linear,

    /// <summary>× sqrt(batch(t) / batch(0)).</summary>
    Sqrt,
}

public static class LearningRateScalingExtensions
{
    /// <summary>What the schedule's rate is multiplied by at a step whose batch is <paramref name="batch"/>.</summary>
    public static double Factor(this LearningRateScaling scaling, int batch, int firstBatch) => scaling switch
    {
        LearningRateScaling.Linear => batch / (double)firstBatch,
        LearningRateScaling.Sqrt => Math.Sqrt(batch / (double)firstBatch),
        _ => 1.0,
    };
}
