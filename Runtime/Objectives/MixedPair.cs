using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Objectives;

/// <summary>Two inputs mixed with the same weights (<see cref="Mixup"/>): <c>mixed.first</c> and <c>mixed.second</c>.</summary>
public sealed record MixedPair(Tensor First, Tensor Second);
