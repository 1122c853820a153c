namespace AvDsl.Runtime.Data;

/// <summary><c>fbank(mel, frames, mean, std)</c>: Kaldi-compatible log-mel filterbank features with EAT's settings and
/// <paramref name="Mel"/> bins, padded or cropped to <paramref name="Frames"/>, normalised as (x - mean) / (2 * std).</summary>
[Constraint("mel > 0 and frames > 0", "mel and frames must be positive")]
[Constraint("std > 0", "std must be positive")]
[Feature("fbank")]
[Shape("-> [frames, mel]")]
public sealed record FbankFeature(int Mel, int Frames, double Mean = -4.268, double Std = 4.569) : IFeatureKind
{
    public IClipFeatures For(string input) => new FbankClipFeatures(input, Frames, Mean, Std, FbankSettings.Eat with { MelBins = Mel });
}
