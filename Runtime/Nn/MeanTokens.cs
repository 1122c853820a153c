using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>The mean over tokens: [B, N, D] → [B, D] (EAT's utterance-level target pools the frame targets so).</summary>
[Component("mean_tokens")]
public sealed class MeanTokens : Module
{
    public MeanTokens() { }

    /// <summary>[B, N, D] → [B, D]</summary>
    [Shape("x: [B, N, D] -> [B, D]")]
    public Tensor Forward(Tensor x)
    {
        var shape = x.Shape;
        if (shape.Length != 3 || shape[1] < 1)
            throw new ArgumentException($"mean_tokens: expected [B, N, D] with at least one token, got {x.Describe()}.");
        return x.Mean(1);
    }
}
