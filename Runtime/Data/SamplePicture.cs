namespace AvDsl.Runtime.Data;

/// <summary>How a prepared sample of an input is drawn as pictures (<c>avdsl reconstruct</c>): what its axes are and how
/// its values map back to what was recorded. A feature kind says which (<see cref="IClipFeatures.Picture"/>).</summary>
public abstract record SamplePicture;

/// <summary>A [time, frequency] sample drawn as one spectrogram: time left to right, low frequencies at the bottom.</summary>
public sealed record SpectrogramPicture : SamplePicture;

/// <summary>A [3, frames, height, width] sample whose channels were normalised as (x - mean[c]) / std[c] from RGB in [0, 1]:
/// drawn one RGB picture per frame, <paramref name="Fps"/> frames a second.</summary>
public sealed record FramesPicture(IReadOnlyList<float> Mean, IReadOnlyList<float> Std, double Fps) : SamplePicture;
