using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Evaluation;

/// <summary>
/// The clips of one manifest split, prepared for the model and held in memory in manifest order: per spec input a
/// float array of [N, ...sample shape], and per clip its class index. Clips whose media could not be decoded are
/// not among them; they are listed in <see cref="BadInputs"/> so a report can say how many and why.
/// </summary>
public sealed class LabelledClips
{
    private readonly IReadOnlyList<string> _inputs;
    private readonly IReadOnlyList<int[]> _sampleShapes;
    private readonly IReadOnlyList<float[]> _values;

    /// <param name="inputs">The spec input each array feeds ("audio").</param>
    /// <param name="sampleShapes">Per input, the shape of one sample.</param>
    /// <param name="values">Per input, <c>Count</c> samples in C order.</param>
    /// <param name="labels">Per clip, its class index.</param>
    /// <param name="entries">Per clip, the manifest entry it came from.</param>
    /// <param name="badInputs">Clips of the split that could not be used.</param>
    public LabelledClips(IReadOnlyList<string> inputs, IReadOnlyList<int[]> sampleShapes, IReadOnlyList<float[]> values, long[] labels,
        IReadOnlyList<ManifestEntry> entries, IReadOnlyList<BadInput> badInputs)
    {
        if (inputs.Count == 0 || inputs.Count != sampleShapes.Count || inputs.Count != values.Count)
            throw new ArgumentException($"labelled clips need one sample shape and one array per input; got {inputs.Count} inputs, {sampleShapes.Count} shapes, {values.Count} arrays.");
        if (entries.Count != labels.Length)
            throw new ArgumentException($"labelled clips need one label per clip; got {entries.Count} clips and {labels.Length} labels.");
        for (var i = 0; i < inputs.Count; i++)
            if (values[i].Length != (long)labels.Length * SampleSize(sampleShapes[i]))
                throw new ArgumentException($"input '{inputs[i]}' holds {values[i].Length} values; {labels.Length} clips of [{string.Join(", ", sampleShapes[i])}] need {(long)labels.Length * SampleSize(sampleShapes[i])}.");
        _inputs = inputs;
        _sampleShapes = sampleShapes;
        _values = values;
        Labels = labels;
        Entries = entries;
        BadInputs = badInputs;
    }

    /// <summary>Usable clips.</summary>
    public int Count => Labels.Length;

    /// <summary>Per clip, its class index (a position in the task's class list).</summary>
    public long[] Labels { get; }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    public IReadOnlyList<BadInput> BadInputs { get; }

    /// <summary>
    /// Decodes every entry into every input (through <paramref name="cache"/> when given), <paramref name="workers"/>
    /// at a time; the result keeps manifest order whichever worker finishes first. Bad media are collected, not thrown.
    /// </summary>
    public static LabelledClips Load(IReadOnlyList<ManifestEntry> entries, IReadOnlyList<IClipFeatures> features, IReadOnlyList<string> classes,
        FeatureCache? cache = null, int workers = 1, CancellationToken cancel = default)
    {
        if (features.Count == 0)
            throw new ArgumentException("evaluation needs at least one input's features.", nameof(features));
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i, StringComparer.Ordinal);
        foreach (var entry in entries)
            if (entry.Label is not { } label || !classIndex.ContainsKey(label))
                throw new ManifestException($"{entry.RelativePath} (manifest line {entry.Line}): label '{entry.Label ?? "(none)"}' is not one of the task's classes ({string.Join(", ", classes)}).");

        var prepared = new float[entries.Count][][];
        var errors = new InvalidMediaException?[entries.Count];
        try
        {
            Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancel }, i =>
            {
                var entry = entries[i];
                try
                {
                    prepared[i] = features.Select(f =>
                    {
                        var raw = cache is null
                            ? f.Extract(entry, cancel)
                            : cache.GetOrAdd(entry.Path, f.SettingsKey, entry.Window, () => f.Extract(entry, cancel));
                        return f.Prepare(raw);
                    }).ToArray();
                }
                catch (InvalidMediaException error)
                {
                    errors[i] = error;
                }
            });
        }
        catch (AggregateException failure) when (failure.InnerExceptions.Count > 0)
        {
            // Not bad media (e.g. ffmpeg is missing): the caller sees the first failure as it was thrown.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure.InnerExceptions[0]).Throw();
            throw;
        }

        var good = Enumerable.Range(0, entries.Count).Where(i => errors[i] is null).ToList();
        var values = features.Select((f, k) =>
        {
            var size = SampleSize(f.SampleShape);
            var array = new float[(long)good.Count * size];
            for (var j = 0; j < good.Count; j++)
            {
                var sample = prepared[good[j]][k];
                if (sample.Length != size)
                    throw new InvalidOperationException($"input '{f.Input}' prepared {sample.Length} values for {entries[good[j]].RelativePath}, but its sample shape [{string.Join(", ", f.SampleShape)}] holds {size}.");
                sample.CopyTo(array, (long)j * size);
            }
            return array;
        }).ToList();
        var bad = errors.Where(e => e is not null).Select(e => new BadInput(e!.Path, e.Reason, e.Message)).ToList();
        return new LabelledClips(features.Select(f => f.Input).ToList(), features.Select(f => f.SampleShape).ToList(), values,
            good.Select(i => classIndex[entries[i].Label!]).ToArray(), good.Select(i => entries[i]).ToList(), bad);
    }

    /// <summary>The clips at <paramref name="indices"/> as one batch: a tensor per input [B, ...sample shape] (float32).</summary>
    public Batch Batch(ReadOnlySpan<int> indices)
    {
        var tensors = new Dictionary<string, Tensor>();
        for (var k = 0; k < _inputs.Count; k++)
        {
            var size = SampleSize(_sampleShapes[k]);
            var buffer = new float[indices.Length * size];
            for (var j = 0; j < indices.Length; j++)
                Array.Copy(_values[k], (long)indices[j] * size, buffer, (long)j * size, size);
            tensors[_inputs[k]] = Torch.Torch.FromArray(buffer, [indices.Length, .. _sampleShapes[k].Select(d => (long)d)]);
        }
        return new Batch(tensors);
    }

    /// <summary>The labels at <paramref name="indices"/> as an int64 tensor [B].</summary>
    public Tensor LabelTensor(ReadOnlySpan<int> indices)
    {
        var labels = new long[indices.Length];
        for (var j = 0; j < indices.Length; j++)
            labels[j] = Labels[indices[j]];
        return Torch.Torch.FromArray(labels, indices.Length);
    }

    private static int SampleSize(int[] shape) => shape.Aggregate(1, (a, b) => checked(a * b));
}
