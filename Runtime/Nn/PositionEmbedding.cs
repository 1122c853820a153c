using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>A fixed table of positions [1, N, D] added to N tokens: what a decoder needs of SinCos2d or SinCos3d.</summary>
public abstract class PositionEmbedding : Module
{
    public abstract Tensor Forward();
}
