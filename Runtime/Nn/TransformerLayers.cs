using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>What <see cref="Transformer.ForwardLayers"/> returns: each [B, N, D].</summary>
/// <param name="Output">The stack's output (after the final LayerNorm in pre-norm).</param>
/// <param name="Layers">Each block's output, first block first.</param>
/// <param name="Ffn">Each block's feed-forward output before the residual add.</param>
public sealed record TransformerLayers(Tensor Output, IReadOnlyList<Tensor> Layers, IReadOnlyList<Tensor> Ffn);
