using System.Globalization;

namespace AvDsl.Runtime.Data;

/// <summary>
/// Counts and lists skipped inputs, each once, appending "reason&lt;TAB&gt;path&lt;TAB&gt;message" lines to the run's
/// log file when one is given, and stops the run (<see cref="BadInputLimitExceededException"/>) once the bad
/// share of <see cref="Total"/> inputs passes <see cref="Limit"/>.
/// </summary>
public sealed class BadInputLog(int total, double limit = BadInputLog.DefaultLimit, string? logPath = null)
{
    public const double DefaultLimit = 0.01;

    private readonly Dictionary<string, BadInput> _bad = new();
    private readonly Lock _lock = new();

    public int Total { get; } = total;
    public double Limit { get; } = limit;
    public string? LogPath { get; } = logPath;

    public int Count { get { lock (_lock) return _bad.Count; } }

    public IReadOnlyList<BadInput> Items { get { lock (_lock) return _bad.Values.ToList(); } }

    public bool Contains(string path) { lock (_lock) return _bad.ContainsKey(path); }

    public IReadOnlyDictionary<BadInputReason, int> CountsByReason()
    {
        lock (_lock) return _bad.Values.GroupBy(b => b.Reason).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>Records a bad input (once per path); throws when the bad share now passes the limit.</summary>
    public void Add(InvalidMediaException error)
    {
        lock (_lock)
        {
            if (!_bad.TryAdd(error.Path, new BadInput(error.Path, error.Reason, error.Message))) return;
            if (LogPath is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(LogPath))!);
                File.AppendAllText(LogPath, $"{error.Reason}\t{error.Path}\t{error.Message.ReplaceLineEndings(" ")}\n");
            }
            if (_bad.Count > Limit * Total)
                throw new BadInputLimitExceededException(Summary());
        }
    }

    private string Summary()
    {
        var share = _bad.Count / (double)Math.Max(Total, 1);
        var reasons = string.Join(", ", _bad.Values.GroupBy(b => b.Reason).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        var examples = string.Join("\n", _bad.Values.Take(5).Select(b => "  " + b.Message));
        var head = string.Create(CultureInfo.InvariantCulture,
            $"{_bad.Count} of {Total} inputs ({share:P1}) could not be used ({reasons}), more than the {Limit:P1} limit; stopping.");
        return $"{head}\n{examples}\n" +
            (LogPath is null ? "" : $"Every skipped input and its reason: {LogPath}\n") +
            "Fix or remove those files from the manifest, or raise the bad-input limit if losing them is acceptable.";
    }
}
