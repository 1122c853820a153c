namespace AvDsl.Runtime.Data;

/// <summary>
/// EAT's last two steps on a fbank [frames, mel]: zero-pad at the end or crop to a fixed frame count,
/// then (x - mean) / (2 * std) — padding comes first, so padded frames become -mean / (2 * std), as in EAT.
/// </summary>
public static class FbankNormalization
{
    /// <summary>A new [targetFrames, mel] array: the first frames of <paramref name="features"/>, zeros after them.</summary>
    public static float[] PadOrCrop(ReadOnlySpan<float> features, int mel, int targetFrames)
    {
        if (mel <= 0 || features.Length % mel != 0)
            throw new ArgumentException($"fbank features of {features.Length} values are not whole rows of {mel} mel bins.");
        if (targetFrames <= 0)
            throw new ArgumentOutOfRangeException(nameof(targetFrames), $"the target frame count must be positive, got {targetFrames}.");
        var result = new float[targetFrames * mel];
        var keep = Math.Min(features.Length, result.Length);
        features[..keep].CopyTo(result);
        return result;
    }

    /// <summary>In place: x ← (x - mean) / (2 * std).</summary>
    public static void Normalize(Span<float> features, double mean, double std)
    {
        if (!(std > 0) || double.IsNaN(mean))
            throw new ArgumentOutOfRangeException(nameof(std), $"fbank normalisation needs a positive std and a mean, got mean {mean}, std {std}.");
        var scale = (float)(1.0 / (2.0 * std));
        var shift = (float)mean;
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(features);
        var vshift = new System.Numerics.Vector<float>(shift);
        var vscale = new System.Numerics.Vector<float>(scale);
        for (var i = 0; i < vectors.Length; i++)
            vectors[i] = (vectors[i] - vshift) * vscale;
        for (var i = vectors.Length * System.Numerics.Vector<float>.Count; i < features.Length; i++)
            features[i] = (features[i] - shift) * scale;
    }

    /// <summary>Pad or crop, then normalise: the array a spec's fbank input receives.</summary>
    public static float[] Prepare(ReadOnlySpan<float> features, int mel, int targetFrames, double mean, double std)
    {
        var result = PadOrCrop(features, mel, targetFrames);
        Normalize(result, mean, std);
        return result;
    }
}
