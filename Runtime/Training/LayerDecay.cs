namespace AvDsl.Runtime.Training;

/// <summary>
/// Layer-wise learning-rate decay for fine-tuning (BEiT / MAE / EAT, timm's <c>param_groups_lrd</c>): a parameter in
/// layer i of L gets lr · decay^(L + 1 − i). Layer 0 is everything before the blocks (patch embedding, CLS token,
/// position embedding), layer i is block i − 1 ("…blocks.&lt;i−1&gt;.…"), layer L + 1 is everything after (final
/// norm, head), which keeps the full rate.
/// </summary>
public sealed class LayerDecay
{
    private static readonly string[] EmbeddingMarkers = ["patch", "cls", "pos", "embed", "mask_token"];

    public LayerDecay(double decay, int layers, string blocksKey = "blocks")
    {
        if (decay is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(decay), $"layer_decay: decay must be in (0, 1], got {decay}.");
        if (layers <= 0)
            throw new ArgumentOutOfRangeException(nameof(layers), $"layer_decay: layers must be positive, got {layers}.");
        Decay = decay;
        Layers = layers;
        BlocksKey = blocksKey;
    }

    public double Decay { get; }
    public int Layers { get; }
    public string BlocksKey { get; }

    /// <summary>The layer id of a parameter key: 0 (embeddings), 1..L (blocks), L + 1 (the rest).</summary>
    public int LayerOf(string key)
    {
        var parts = key.Split('.');
        for (var i = 0; i + 1 < parts.Length; i++)
            if (parts[i] == BlocksKey && int.TryParse(parts[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var block))
                return block < Layers
                    ? block + 1
                    : throw new ArgumentException($"layer_decay: '{key}' is block {block} but only {Layers} layers were declared.");
        return EmbeddingMarkers.Any(m => parts[0].Contains(m, StringComparison.Ordinal)) ? 0 : Layers + 1;
    }

    /// <summary>Layer decay over a model's blocks: the layer count is the number of distinct "blocks.i" indices
    /// among its parameter keys (the deepest stack when several modules have blocks).</summary>
    public static LayerDecay For(Nn.Module model, double decay, string blocksKey = "blocks")
    {
        var layers = 0;
        foreach (var key in model.NamedParameters().Select(p => p.Key))
        {
            var parts = key.Split('.');
            for (var i = 0; i + 1 < parts.Length; i++)
                if (parts[i] == blocksKey && int.TryParse(parts[i + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var block))
                    layers = Math.Max(layers, block + 1);
        }
        return layers > 0
            ? new LayerDecay(decay, layers, blocksKey)
            : throw new ArgumentException($"layer_decay: the model has no '{blocksKey}.<i>' parameters to decay by layer.");
    }

    /// <summary>The learning-rate multiplier of a parameter key; pass it to <see cref="AdamW"/>.</summary>
    public double Scale(string key) => Math.Pow(Decay, Layers + 1 - LayerOf(key));
}
