namespace AvDsl.Runtime.Data;

/// <summary>
/// One clip of a manifest: <see cref="Path"/> resolved against the manifest's folder, its labels, the part of
/// the file to use, and its split ("train", "val", "test", or empty). <see cref="Line"/> points back into the manifest.
/// </summary>
public sealed record ManifestEntry(string Path, string RelativePath, IReadOnlyList<string> Labels, TimeWindow Window, string Split, int Line)
{
    public string? Label => Labels.Count > 0 ? Labels[0] : null;
}
