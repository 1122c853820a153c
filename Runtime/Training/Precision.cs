namespace AvDsl.Runtime.Training;

/// <summary>A spec's <c>train { precision: … }</c>: how forward passes compute.</summary>
public enum Precision
{
    /// <summary>float32 throughout.</summary>
    Fp32,

    /// <summary>Forward passes under bfloat16 autocast; backward and the optimizer in float32, as PyTorch AMP.</summary>
    Bf16,
}
