namespace AvDsl.Runtime.Data;

/// <summary>A feature kind a spec input declares (<c>fbank(…)</c>, <c>frames(…)</c>): its settings, and the
/// <see cref="IClipFeatures"/> that compute it for the input of that name.</summary>
public interface IFeatureKind
{
    IClipFeatures For(string input);
}
