namespace AvDsl.Runtime.Data;

/// <summary>
/// The mean and standard deviation of raw fbank values over every frame and bin of a manifest's clips —
/// the two numbers a spec's <c>fbank(mean: ..., std: ...)</c> takes (EAT uses AudioSet's -4.268 and 4.569).
/// Clips are decoded in parallel (through the feature cache when given); bad clips are skipped and logged,
/// with the usual limit. Per-clip sums are merged in manifest order, so the result does not depend on timing.
/// </summary>
public static class FbankStatistics
{
    public sealed record Result(double Mean, double Std, int Clips, long Frames, BadInputLog BadInputs);

    public static Result Compute(IReadOnlyList<ManifestEntry> entries, FbankSettings? settings = null, string? cacheDirectory = null,
        int workers = 2, string? badInputLogPath = null, double badShareLimit = BadInputLog.DefaultLimit, CancellationToken cancel = default)
    {
        if (entries.Count == 0)
            throw new ArgumentException("fbank statistics: the manifest (or split) has no clips.", nameof(entries));
        var fbank = new KaldiFbank(settings);
        var cache = cacheDirectory is null ? null : new FeatureCache(cacheDirectory);
        var bad = new BadInputLog(entries.Count, badShareLimit, badInputLogPath);
        var sums = new (double Sum, double Squares, long Count)?[entries.Count];
        try
        {
            Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancel }, i =>
            {
                var entry = entries[i];
                try
                {
                    var features = cache is null
                        ? FbankClipFeatures.Compute(fbank, entry.Path, entry.Window, cancel)
                        : cache.GetOrAdd(entry.Path, fbank.Settings.Key, entry.Window, () => FbankClipFeatures.Compute(fbank, entry.Path, entry.Window, cancel));
                    double sum = 0, squares = 0;
                    foreach (var v in features.Data) { sum += v; squares += (double)v * v; }
                    sums[i] = (sum, squares, features.Data.Length);
                }
                catch (InvalidMediaException e)
                {
                    bad.Add(e);
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Parallel.For wraps; callers expect the one exception that stopped the run (e.g. the bad-input limit).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        double total = 0, totalSquares = 0;
        long count = 0;
        var clips = 0;
        foreach (var s in sums)
        {
            if (s is not { } v) continue;
            total += v.Sum;
            totalSquares += v.Squares;
            count += v.Count;
            clips++;
        }
        if (count == 0)
            throw new BadInputLimitExceededException("fbank statistics: no clip of the manifest could be decoded; see the bad-input log.");
        var mean = total / count;
        var variance = Math.Max(0, totalSquares / count - mean * mean);
        return new Result(mean, Math.Sqrt(variance), clips, count / fbank.Settings.MelBins, bad);
    }
}
