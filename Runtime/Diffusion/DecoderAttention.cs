namespace AvDsl.Runtime.Diffusion;

/// <summary>How a <see cref="DenoisingDecoder"/>'s masked queries see the visible context (the spec's <c>attention:</c>).</summary>
public enum DecoderAttention
{
    /// <summary>MAE's decoder: self-attention over all N tokens, visible and masked.</summary>
    Joint,

    /// <summary>DiffMAE's cross-attention decoder: only the M masked queries run, each attending to the K visible tokens.</summary>
    Cross,
}
