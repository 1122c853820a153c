using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace AvDsl.Runtime.Data;

/// <summary>
/// Raw features on disk as .npy, keyed by the SHA-256 of the media file's content plus the feature settings
/// and time window — an edited file or a changed setting misses, a renamed file hits. Content hashes are
/// remembered per (path, size, modification time), so a warm epoch reads each file's features, not the file.
/// Thread-safe; writes go through a temporary name.
/// </summary>
public sealed class FeatureCache(string directory)
{
    private readonly ConcurrentDictionary<(string, long, DateTime), string> _contentHashes = new();

    public string Directory { get; } = directory;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    private long _hits, _misses;

    /// <summary>The cached features, or computes them with <paramref name="extract"/> and stores them.</summary>
    public FeatureArray GetOrAdd(string mediaPath, string settingsKey, TimeWindow window, Func<FeatureArray> extract)
    {
        MediaFailure.ThrowIfMissingOrEmpty(mediaPath);
        var path = EntryPath(mediaPath, settingsKey, window);
        if (File.Exists(path))
        {
            try
            {
                var data = NpyFile.Read(path, out var shape);
                Interlocked.Increment(ref _hits);
                return new FeatureArray(data, shape);
            }
            catch (InvalidMediaException)
            {
                // A damaged cache entry (e.g. a full disk) is recomputed, not reported as bad input.
            }
        }
        Interlocked.Increment(ref _misses);
        var features = extract();
        NpyFile.Write(path, features.Data, features.Shape);
        return features;
    }

    public string EntryPath(string mediaPath, string settingsKey, TimeWindow window)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{ContentHash(mediaPath)}\n{settingsKey}\n{window.Key}")));
        return Path.Combine(Directory, key[..2], key + ".npy");
    }

    private string ContentHash(string mediaPath)
    {
        var info = new FileInfo(mediaPath);
        return _contentHashes.GetOrAdd((info.FullName, info.Length, info.LastWriteTimeUtc), _ =>
        {
            using var stream = File.OpenRead(mediaPath);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        });
    }
}
