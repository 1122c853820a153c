using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>A batch cut in two along its rows (<c>split_batch</c>).</summary>
/// <param name="First">[B, *S] the leading rows.</param>
/// <param name="Second">[N − B, *S] the rest.</param>
public sealed record BatchSplit(Tensor First, Tensor Second);
