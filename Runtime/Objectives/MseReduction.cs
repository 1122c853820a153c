namespace AvDsl.Runtime.Objectives;

/// <summary>How <see cref="Losses.Mse"/> reduces the squared errors to a scalar (spec words <c>mean</c>, <c>sum</c>, <c>row_sum</c>).</summary>
public enum MseReduction
{
    /// <summary>The mean over all elements (PyTorch's default).</summary>
    Mean,

    /// <summary>The sum over all elements.</summary>
    Sum,

    /// <summary>The sum over the last dimension, then the mean over the rows (EAT's per-patch regression).</summary>
    RowSum,
}
