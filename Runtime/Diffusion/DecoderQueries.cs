namespace AvDsl.Runtime.Diffusion;

/// <summary>What stands at a masked position when a <see cref="DenoisingDecoder"/> starts (the spec's <c>queries:</c>).</summary>
public enum DecoderQueries
{
    /// <summary>DiffMAE: the embedded noised patch x_t, with a timestep embedding added to every token.</summary>
    Noised,

    /// <summary>MAE: one learned mask token; x_t and t are not read (diffusion off).</summary>
    MaskToken,
}
