using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Each sample repeated <c>times</c> along the batch, copies adjacent: [B, *S] → [B·times, *S]. This is the order
/// <c>inverse_block_mask</c> (Masking) gives its clones, so a teacher that saw each clip once lines up with them.
/// </summary>
[Component("repeat_interleave")]
public sealed class RepeatInterleave : Module
{
    public RepeatInterleave(int times)
    {
        if (times < 1)
            throw new ArgumentOutOfRangeException(nameof(times), $"repeat_interleave: times must be at least 1, got {times}.");
        Times = times;
    }

    public int Times { get; }

    /// <summary>[B, *S] → [B·times, *S]</summary>
    [Shape("x: [B, *S] -> [B * times, *S]")]
    public Tensor Forward(Tensor x)
    {
        if (x.Dim < 1)
            throw new ArgumentException($"repeat_interleave: expected [B, ...] with a batch dimension, got {x.Describe()}.");
        return Times == 1 ? x.Alias() : x.RepeatInterleave(Times, 0);
    }
}
