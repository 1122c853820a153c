namespace AvDsl.Runtime.Torch;

/// <summary>One counted operator call: its matrix-product FLOPs forward and backward, its elementwise FLOPs, the
/// bytes autograd keeps for it, and whether it was in the autograd graph.</summary>
public sealed record OpCost(string Op, long ForwardFlops, long BackwardFlops, long ElementwiseFlops, long SavedBytes, bool InGraph);
