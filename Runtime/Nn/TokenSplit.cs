using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>What <see cref="Tokens.SplitTokens"/> returns: the leading tokens and the rest, each [B, ·, D].</summary>
public sealed record TokenSplit(Tensor First, Tensor Second);
