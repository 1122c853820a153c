using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Data;

/// <summary>
/// Batches of real media for training. The order of each epoch is a Fisher–Yates shuffle seeded by
/// (seed, epoch), so a seed fixes every batch and <see cref="Position"/> resumes exactly. A background
/// producer decodes clips ahead of the consumer — up to <see cref="LoaderOptions.Workers"/> at a time,
/// <see cref="LoaderOptions.Prefetch"/> ahead — and hands them over in order through a bounded channel, so
/// the result does not depend on which worker finished first. As an <see cref="IBatchSource"/> it saves
/// and restores its position (epoch and index; the shuffle needs no other state), restarting the producer there. Raw features go through the
/// <see cref="FeatureCache"/> when one is configured. Bad clips are skipped, listed once in the
/// <see cref="BadInputLog"/> and never decoded again; the run stops when they pass the limit. Batches span
/// epoch boundaries, so every batch has exactly the requested size. With a <see cref="LoaderOptions.Shard"/> it reads only
/// that rank's positions of each epoch's order (positions stay those of the whole order, so a rank's state resumes it).
/// </summary>
public sealed class MediaBatchLoader : IBatchSource
{
    private readonly IReadOnlyList<ManifestEntry> _entries;
    private readonly IReadOnlyList<IClipFeatures> _features;
    private readonly LoaderOptions _options;
    private readonly FeatureCache? _cache;
    private readonly Dictionary<string, int>? _labelIndex;
    private readonly SemaphoreSlim _workers;
    private Channel<Task<Sample>> _channel;
    private CancellationTokenSource _stop;
    private Task _producer;
    private long _samples, _batches;
    private TimeSpan _wait;

    private sealed record Sample(ManifestEntry Entry, LoaderPosition After, float[][]? Inputs, InvalidMediaException? Error);

    public MediaBatchLoader(IReadOnlyList<ManifestEntry> entries, IReadOnlyList<IClipFeatures> features, LoaderOptions? options = null)
    {
        if (entries.Count == 0)
            throw new ArgumentException("The loader got no clips: the manifest (or the chosen split) is empty.", nameof(entries));
        if (features.Count == 0)
            throw new ArgumentException("The loader needs at least one input's features.", nameof(features));
        _options = options ?? new LoaderOptions();
        if (_options.Workers < 1 || _options.Prefetch < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"workers and prefetch must be at least 1, got {_options.Workers} and {_options.Prefetch}.");
        _entries = entries;
        _features = features;
        _cache = _options.CacheDirectory is null ? null : new FeatureCache(_options.CacheDirectory);
        if (_options.Labels is { } labels)
        {
            _labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
            foreach (var entry in entries)
                if (entry.Label is not { } label || !_labelIndex.ContainsKey(label))
                    throw new ArgumentException($"{entry.RelativePath} (manifest line {entry.Line}): label '{entry.Label ?? "(none)"}' is not in the class list ({string.Join(", ", labels)}).", nameof(entries));
        }
        if (_options.Shard.Count > entries.Count)
            throw new ArgumentException($"The loader got {entries.Count} clips for {_options.Shard.Count} ranks; each rank needs at least one.", nameof(entries));
        // A rank meets only its shard's clips, so its share of bad ones is counted against the shard.
        BadInputs = new BadInputLog((entries.Count + _options.Shard.Count - 1) / _options.Shard.Count, _options.BadShareLimit, _options.BadInputLogPath);
        Position = _options.Start ?? LoaderPosition.Start;
        if (Position.Index < 0 || Position.Index > entries.Count || Position.Epoch < 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"resume position {Position} is outside the manifest's {entries.Count} clips.");
        _workers = new SemaphoreSlim(_options.Workers);
        (_channel, _stop, _producer) = StartProducer(Position);
    }

    private const string EpochKey = "epoch";
    private const string IndexKey = "index";

    /// <summary>The position of the next clip <see cref="Next"/> will read; save it to resume.</summary>
    public LoaderPosition Position { get; private set; }

    /// <summary>Clips in one pass over the manifest's split.</summary>
    public int Count => _entries.Count;

    int? IBatchSource.Count => Count;

    public BadInputLog BadInputs { get; }

    public LoaderStatistics Statistics => new(_samples, BadInputs.Count, _cache?.Hits ?? 0, _cache?.Misses ?? 0, _wait, _batches);

    /// <summary>The clip order of an epoch: identity without shuffling, else a Fisher–Yates shuffle seeded by (seed, epoch).</summary>
    public static int[] Order(int count, long seed, long epoch, bool shuffle = true)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (!shuffle) return order;
        var random = new HostRandom(unchecked(seed * 1_000_003 + epoch * 7_919 + 17));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The next <paramref name="batchSize"/> good clips: one tensor per input [B, ...sample shape], plus "label" [B] (int64) when labels were given.</summary>
    public Batch Next(int batchSize)
    {
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}.");
        var buffers = _features.Select(f => new float[batchSize * f.SampleShape.Aggregate(1, (a, b) => a * b)]).ToArray();
        var labels = _labelIndex is null ? null : new long[batchSize];
        var filled = 0;
        while (filled < batchSize)
        {
            var clock = Stopwatch.StartNew();
            var task = ReadNext();
            var sample = task.GetAwaiter().GetResult();
            _wait += clock.Elapsed;
            Position = sample.After;
            if (sample.Error is not null)
            {
                BadInputs.Add(sample.Error); // throws past the limit
                continue;
            }
            for (var i = 0; i < _features.Count; i++)
                sample.Inputs![i].CopyTo(buffers[i], filled * sample.Inputs[i].Length);
            if (labels is not null) labels[filled] = _labelIndex![sample.Entry.Label!];
            filled++;
        }
        _samples += batchSize;
        _batches++;

        var tensors = new Dictionary<string, Tensor>();
        for (var i = 0; i < _features.Count; i++)
            tensors[_features[i].Input] = Torch.Torch.FromArray(buffers[i], [batchSize, .. _features[i].SampleShape.Select(d => (long)d)]);
        if (labels is not null) tensors[LoaderOptions.LabelInput] = Torch.Torch.FromArray(labels, batchSize);
        return new Batch(tensors);
    }

    /// <summary>The <see cref="Position"/> as "epoch" and "index" (invariant integers).</summary>
    public IReadOnlyDictionary<string, string> StateDict() => new Dictionary<string, string>
    {
        [EpochKey] = Position.Epoch.ToString(CultureInfo.InvariantCulture),
        [IndexKey] = Position.Index.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Moves to a saved position: clips prefetched from the old one are dropped and the producer starts again there.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, string> state)
    {
        long Read(string key) => state.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"loader state: '{key}' is missing or not a non-negative integer.", nameof(state));
        var epoch = Read(EpochKey);
        var index = Read(IndexKey);
        if (index > _entries.Count)
            throw new ArgumentException($"loader state: index {index} is outside the manifest's {_entries.Count} clips.", nameof(state));
        StopProducer();
        Position = new LoaderPosition(epoch, (int)index);
        (_channel, _stop, _producer) = StartProducer(Position);
    }

    private (Channel<Task<Sample>>, CancellationTokenSource, Task) StartProducer(LoaderPosition start)
    {
        var channel = Channel.CreateBounded<Task<Sample>>(new BoundedChannelOptions(_options.Prefetch) { SingleReader = true, SingleWriter = true });
        var stop = new CancellationTokenSource();
        var producer = Task.Run(() => ProduceAsync(channel.Writer, start, stop.Token));
        return (channel, stop, producer);
    }

    private void StopProducer()
    {
        _stop.Cancel();
        try { _producer.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        // Let in-flight decodes finish (they honour the token), so no ffmpeg outlives the producer.
        while (_channel.Reader.TryRead(out var pending))
            try { pending.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    private Task<Sample> ReadNext() =>
        _channel.Reader.TryRead(out var ready) ? ready : _channel.Reader.ReadAsync(_stop.Token).AsTask().GetAwaiter().GetResult();

    private async Task ProduceAsync(ChannelWriter<Task<Sample>> writer, LoaderPosition start, CancellationToken stop)
    {
        try
        {
            var epoch = start.Epoch;
            var index = start.Index;
            while (!stop.IsCancellationRequested)
            {
                var order = Order(_entries.Count, _options.Seed, epoch, _options.Shuffle);
                for (; index < order.Length; index++)
                {
                    if (!_options.Shard.Holds(index)) continue;
                    var entry = _entries[order[index]];
                    var after = index + 1 < order.Length ? new LoaderPosition(epoch, index + 1) : new LoaderPosition(epoch + 1, 0);
                    await _workers.WaitAsync(stop);
                    var work = Task.Run(() => Load(entry, after, stop), CancellationToken.None);
                    await writer.WriteAsync(work, stop);
                }
                epoch++;
                index = 0;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
            return;
        }
        writer.TryComplete();
    }

    private Sample Load(ManifestEntry entry, LoaderPosition after, CancellationToken stop)
    {
        try
        {
            // Met again in a later epoch: skip without decoding (the log already holds its real reason; Add ignores repeats).
            if (BadInputs.Contains(entry.Path))
                return new Sample(entry, after, null, new InvalidMediaException(entry.Path, BadInputReason.Corrupt, $"{entry.Path}: skipped earlier in this run."));
            var inputs = new float[_features.Count][];
            for (var i = 0; i < _features.Count; i++)
            {
                var features = _features[i];
                var raw = _cache is null
                    ? features.Extract(entry, stop)
                    : _cache.GetOrAdd(entry.Path, features.SettingsKey, entry.Window, () => features.Extract(entry, stop));
                inputs[i] = features.Prepare(raw);
            }
            return new Sample(entry, after, inputs, null);
        }
        catch (InvalidMediaException e)
        {
            return new Sample(entry, after, null, e);
        }
        finally
        {
            _workers.Release();
        }
    }

    public void Dispose()
    {
        StopProducer();
        _workers.Dispose();
    }
}
