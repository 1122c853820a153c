using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>The scalar to minimise and its named parts (each logged per step). <see cref="Remember"/>, when set, is what the
/// step leaves behind once it is taken (its samples offered to the model's replay buffers); the trainer calls it after the
/// optimizer step, and nothing else does, so counting or drawing a step changes no buffer.</summary>
public sealed record LossTerms(Tensor Total, IReadOnlyList<KeyValuePair<string, Tensor>> Terms)
{
    public Action? Remember { get; init; }
}
