namespace AvDsl.Runtime.Data;

/// <summary>Refuses a manifest whose clips lack a stream the spec's inputs read (video asked of an audio-only set)
/// before training starts, rather than skipping every clip as bad input. A few clips are probed: a manifest
/// where only some clips lack the stream is the loader's business (skipped, counted, logged).</summary>
public static class ManifestStreams
{
    public const int Probed = 4;

    public static void Require(string manifestPath, IReadOnlyList<ManifestEntry> entries, IReadOnlyList<IClipFeatures> features, CancellationToken cancel = default)
    {
        var needed = features.Where(f => f.Stream is not null).ToList();
        if (needed.Count == 0) return;
        var sample = entries.Take(Probed).ToList();
        var infos = new List<MediaInfo>();
        foreach (var entry in sample)
        {
            try
            {
                infos.Add(MediaProbe.Probe(entry.Path, cancel: cancel));
            }
            catch (InvalidMediaException)
            {
                // An unreadable clip says nothing about the set; the loader will log it.
            }
        }
        if (infos.Count == 0) return;
        foreach (var input in needed)
        {
            if (infos.Any(i => i.Streams.Any(s => s.Kind == input.Stream))) continue;
            var first = infos[0];
            var has = first.Streams.Count == 0 ? "no streams" : string.Join(", ", first.Streams.Select(s => $"{s.Kind} {s.Codec}"));
            throw new ManifestException(
                $"{manifestPath}: the spec's input `{input.Input}` reads each clip's {input.Stream} stream, but none of the first {infos.Count} clips has one " +
                $"({Path.GetFileName(first.Path)} has: {has}). Use a manifest of clips with {input.Stream}, or remove the input `{input.Input}` from the spec.");
        }
    }
}
