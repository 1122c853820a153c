using System.Security.Cryptography;
using System.Text;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A reservoir replay buffer for continual training (ER, DER++, LUMP, STELLA): it keeps at most <see cref="Capacity"/>
/// samples, and after <see cref="Seen"/> samples have been offered each of them is held with the same probability,
/// capacity / seen — Vitter's algorithm R, as DER's and STELLA's code (mammoth's <c>reservoir</c>) run it: the first
/// <see cref="Capacity"/> samples fill rows 0, 1, …; sample number i (0-based) after that replaces row j for a uniform
/// j in [0, i] when j &lt; capacity, and is dropped otherwise.
/// <para>
/// A sample is a set of named fields (<see cref="ReplayField"/>): the decoded features the model reads (<c>audio</c>
/// [T, F], <c>video</c> [C, T, H, W]) — not media files — and, optionally, model outputs detached when stored (DER++'s
/// pooled embeddings, STELLA's per-head query summaries). The fields, their dtypes and shapes are fixed by the
/// constructor's declaration or else by the first <see cref="Add(IReadOnlyDictionary{string, Tensor})"/>. Storage is on the CPU, allocated once as one
/// [capacity, ..shape] tensor per field, so the buffer's memory is known from its first sample on and never grows.
/// </para>
/// <para>
/// Deterministic: the reservoir's choices come from a <see cref="HostRandom"/> seeded with the constructor's seed, and
/// <see cref="Sample"/>'s draws from a second one derived from it, so what the buffer keeps depends only on the samples
/// offered, not on how often or how much it is sampled. <see cref="Save"/> writes the contents, counters and both
/// generators' states; <see cref="Load"/> into a buffer built the same way continues bit for bit as if never stopped.
/// </para>
/// <para>
/// In a step, as mammoth does: draw the replayed batch first (<c>Sample(n)</c>, skipped when
/// <see cref="ReplaySample.IsEmpty"/>), train on current + replayed samples, then <c>Add</c> the current batch with the
/// outputs to remember. Not thread-safe. Owns its storage: dispose it.
/// </para>
/// </summary>
public sealed class ReplayBuffer : IDisposable
{
    // Sample's draws use their own stream, so that the buffer's contents do not depend on the replay batch size.
    private const long DrawsStreamSalt = 0x5245504C_41594452; // "REPLAYDR"

    private readonly HostRandom _reservoir;
    private readonly HostRandom _draws;
    private readonly Dictionary<string, Tensor> _storage = [];
    private ReplayField[] _fields = [];
    private bool _disposed;

    /// <summary>An empty buffer.</summary>
    /// <param name="capacity">The most samples it holds (the spec's <c>size</c>); 0 keeps nothing (a run without replay).</param>
    /// <param name="seed">Seeds the reservoir's choices and the draws of <see cref="Sample"/>.</param>
    /// <param name="identity">Names what fills the buffer, saved with it and checked by <see cref="Load"/> so that a
    /// buffer never continues another spec's run: <see cref="IdentityFor"/>(spec name, resolved spec).</param>
    /// <param name="fields">The fields each sample has, when known in advance: storage is allocated now and an empty
    /// <see cref="Sample"/> already has their shapes. Null: the first <see cref="Add(IReadOnlyDictionary{string, Tensor})"/> fixes them.</param>
    public ReplayBuffer(int capacity, long seed, string identity, IEnumerable<ReplayField>? fields = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentNullException.ThrowIfNull(identity);
        Capacity = capacity;
        Seed = seed;
        Identity = identity;
        _reservoir = new HostRandom(seed);
        _draws = new HostRandom(seed ^ DrawsStreamSalt);
        if (fields is not null)
            Allocate(Canonical(fields.ToList()));
    }

    /// <summary>The most samples the buffer holds.</summary>
    public int Capacity { get; }

    /// <summary>The seed given at construction (a loaded buffer continues the saved generators instead).</summary>
    public long Seed { get; }

    /// <summary>What fills the buffer (spec name and resolved-spec hash); saved with it and checked on load.</summary>
    public string Identity { get; }

    /// <summary>Samples held now: min(<see cref="Seen"/>, <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Samples offered to <see cref="Add(IReadOnlyDictionary{string, Tensor})"/> since construction or the last <see cref="Clear"/>, kept or not.</summary>
    public long Seen { get; private set; }

    /// <summary>True when the buffer holds nothing (no replay yet).</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The fields each sample has, ordered by name; empty until declared or fixed by the first <see cref="Add(IReadOnlyDictionary{string, Tensor})"/>.</summary>
    public IReadOnlyList<ReplayField> Fields => _fields;

    /// <summary>
    /// Offers a batch of samples, one tensor per field with a leading batch dimension ([B, ..shape], the same B for
    /// all, any device, any grad state); each sample is kept or not by the reservoir rule, and copied (detached, to the
    /// CPU) into its row when kept. Every call must give the same fields with the same dtypes and trailing shapes:
    /// the first call fixes them unless the constructor declared them. Throws <see cref="ArgumentException"/> otherwise,
    /// before anything changes.
    /// </summary>
    public void Add(IReadOnlyDictionary<string, Tensor> samples)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
            throw new ArgumentException("ReplayBuffer.Add: no fields given; pass each field's tensor by name, with a leading batch dimension.", nameof(samples));
        var incoming = Canonical(samples.Select(kv => ReplayField.Of(kv.Key, kv.Value)).ToList());
        var batch = BatchSize(samples);
        if (_fields.Length == 0)
            Allocate(incoming);
        else if (!incoming.SequenceEqual(_fields))
            throw new ArgumentException(
                $"ReplayBuffer.Add: the samples have fields [{string.Join("; ", incoming)}] but the buffer stores [{string.Join("; ", _fields)}] " +
                "(fixed by its declaration or its first samples); every sample needs the same fields, dtypes and shapes.", nameof(samples));

        var slots = new int[batch];
        for (var i = 0; i < slots.Length; i++)
            slots[i] = NextSlot();

        using var scope = new TensorScope(); // the row views
        using var noGrad = Torch.Torch.NoGrad(); // no graph for the views of outputs that require grad
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i] < 0)
                continue;
            foreach (var field in _fields)
                _storage[field.Name][slots[i]].CopyFrom(samples[field.Name][i]); // a detached copy
        }
    }

    /// <summary>
    /// Offers a training batch: every input of <paramref name="batch"/> (its decoded features) and, under their own
    /// names, the model <paramref name="outputs"/> to remember with each sample (stored detached). Hand it the host
    /// batch, not a GPU copy, to spare a copy back. Otherwise as <see cref="Add(IReadOnlyDictionary{string, Tensor})"/>.
    /// </summary>
    public void Add(Batch batch, IReadOnlyDictionary<string, Tensor>? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var samples = batch.Inputs.ToDictionary(input => input, input => batch[input]);
        foreach (var (name, output) in outputs ?? new Dictionary<string, Tensor>())
            if (!samples.TryAdd(name, output))
                throw new ArgumentException($"ReplayBuffer.Add: the output '{name}' has the name of a batch input; store it under another name.", nameof(outputs));
        Add(samples);
    }

    /// <summary>
    /// Draws min(<paramref name="n"/>, <see cref="Count"/>) distinct stored samples, uniformly without replacement, in
    /// random order. The tensors are new CPU tensors in the caller's <see cref="TensorScope"/>. On an empty buffer the
    /// result is empty (<see cref="ReplaySample.IsEmpty"/>): batch-0 tensors of the fields' shapes when the buffer knows
    /// them, else no fields — see <see cref="ReplaySample"/>.
    /// </summary>
    public ReplaySample Sample(int n)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var take = Math.Min(n, Count);
        // A partial Fisher–Yates shuffle of the rows: the first `take` are a uniform draw without replacement.
        var rows = new int[Count];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = i;
        for (var i = 0; i < take; i++)
        {
            var j = i + (int)UniformBelow(_draws, (ulong)(rows.Length - i));
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
        return Gather(rows[..take]);
    }

    /// <summary>As many samples as <paramref name="like"/> has rows (its leading dimension), on its device: a spec's
    /// <c>memory.sample(audio)</c>, the replayed half of a step of N current + N replayed samples.</summary>
    public ReplaySample SampleLike(Tensor like)
    {
        if (like.Dim < 1)
            throw new ArgumentException($"ReplayBuffer.SampleLike: expected a batch [B, …] to count, got {like.Describe()}.", nameof(like));
        var sample = Sample(checked((int)like.Shape[0]));
        var device = like.Device;
        if (device.Type == DeviceType.Cpu) return sample;
        return new ReplaySample(sample.Fields.ToDictionary(f => f, f => sample[f].To(device)), sample.Slots);
    }

    /// <summary>Every stored sample in row order (row i is slot i), without drawing random numbers: for inspection and tests.</summary>
    public ReplaySample Contents()
    {
        ThrowIfDisposed();
        return Gather(Enumerable.Range(0, Count).ToArray());
    }

    /// <summary>
    /// Empties the buffer at a task boundary whose next task does not carry it: <see cref="Count"/> and <see cref="Seen"/>
    /// return to 0 and the next samples fill it as a fresh reservoir. The fields and storage are kept, and the
    /// generators continue (a cleared buffer does not repeat the draws it made before).
    /// </summary>
    public void Clear()
    {
        ThrowIfDisposed();
        Count = 0;
        Seen = 0;
    }

    /// <summary>
    /// Writes the buffer to <paramref name="path"/> as one safetensors file: the stored rows of each field, and its
    /// identity, capacity, count, seen, fields and both generators' states (the format: <c>ReplayBufferFile</c>). Written to
    /// a temporary name, flushed to disk and renamed; throws <see cref="IOException"/> if the file exists.
    /// </summary>
    public void Save(string path)
    {
        ThrowIfDisposed();
        using var scope = new TensorScope();
        var rows = _fields.Select(f => (Field: f, Rows: _storage[f.Name].Narrow(0, 0, Count))).ToList();
        ReplayBufferFile.Write(path, Identity, Capacity, Seed, Count, Seen, _reservoir.State, _draws.State, rows);
    }

    /// <summary>
    /// Replaces this buffer's contents, counters and generator states with those <see cref="Save"/> wrote to
    /// <paramref name="path"/>, so that it continues exactly as the saved buffer would have. Throws
    /// <see cref="ReplayBufferFileException"/>, leaving this buffer unchanged, when the file is missing, truncated or
    /// damaged, not a replay buffer, or saved with another identity, capacity or fields
    /// (<see cref="ReplayBufferFileException.Problem"/> says which) — never an empty buffer in its place.
    /// </summary>
    public void Load(string path)
    {
        ThrowIfDisposed();
        using var file = ReplayBufferFile.Read(path);
        if (file.Identity != Identity)
            throw new ReplayBufferFileException(path, ReplayBufferFileProblem.OtherSpec,
                $"The replay-buffer file '{path}' was saved by '{file.Identity}', but this buffer belongs to '{Identity}'. " +
                "A buffer only continues the run that filled it: resume with the spec that wrote it, or start a new run.");
        if (file.Capacity != Capacity)
            throw new ReplayBufferFileException(path, ReplayBufferFileProblem.OtherCapacity,
                $"The replay-buffer file '{path}' holds a buffer of size {file.Capacity}, but this buffer has size {Capacity}. " +
                $"What a reservoir keeps depends on its size, so it cannot change on resume: resume with size {file.Capacity}, or start a new run.");
        if (file.Fields.Count > 0 && _fields.Length > 0 && !file.Fields.SequenceEqual(_fields))
            throw new ReplayBufferFileException(path, ReplayBufferFileProblem.OtherFields,
                $"The replay-buffer file '{path}' stores [{string.Join("; ", file.Fields)}], but this buffer stores [{string.Join("; ", _fields)}]. " +
                "It was filled with other inputs or outputs: resume with the spec that wrote it, or start a new run.");

        if (_fields.Length == 0 && file.Fields.Count > 0)
            Allocate(file.Fields.ToArray());
        using (new TensorScope())
            foreach (var field in file.Fields)
                _storage[field.Name].Narrow(0, 0, file.Count).CopyFrom(file.Rows(field.Name));
        Count = file.Count;
        Seen = file.Seen;
        _reservoir.State = file.Reservoir;
        _draws.State = file.Draws;
    }

    /// <summary>The identity a spec's buffer carries: "<paramref name="specName"/>@sha256:" and the first 16 hex digits
    /// of the SHA-256 of <paramref name="resolvedSpec"/> (the run's spec.avml text).</summary>
    public static string IdentityFor(string specName, string resolvedSpec) =>
        $"{specName}@sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedSpec)))[..16]}";

    /// <summary>"ReplayBuffer 'identity': 37 of 100 held, 250 seen; audio: Float32[256, 128]".</summary>
    public override string ToString() =>
        $"ReplayBuffer '{Identity}': {Count} of {Capacity} held, {Seen} seen" + (_fields.Length == 0 ? "" : $"; {string.Join("; ", _fields)}");

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var tensor in _storage.Values)
            tensor.Dispose();
        _storage.Clear();
    }

    /// <summary>The row the next offered sample goes to, or -1 when the reservoir drops it (algorithm R).</summary>
    private int NextSlot()
    {
        var index = Seen++; // this sample's 0-based position in the stream
        if (index < Capacity)
        {
            Count++;
            return (int)index;
        }
        var j = UniformBelow(_reservoir, (ulong)index + 1); // uniform on [0, index]: kept with probability capacity / (index + 1)
        return j < (ulong)Capacity ? (int)j : -1;
    }

    /// <summary>Uniform on [0, <paramref name="bound"/>) without modulo bias: draws below 2^64 mod bound are rejected
    /// (OpenBSD's <c>arc4random_uniform</c>), so every value has exactly the same chance.</summary>
    private static ulong UniformBelow(HostRandom random, ulong bound)
    {
        var rejectBelow = unchecked(0UL - bound) % bound; // 2^64 mod bound
        ulong draw;
        do
            draw = random.NextUInt64();
        while (draw < rejectBelow);
        return draw % bound;
    }

    private ReplaySample Gather(int[] rows)
    {
        if (_fields.Length == 0)
            return new ReplaySample(new Dictionary<string, Tensor>(), rows); // never knew its fields, so nothing is stored
        using var scope = new TensorScope();
        var index = Torch.Torch.FromArray(rows.Select(r => (long)r).ToArray());
        var tensors = new Dictionary<string, Tensor>();
        foreach (var field in _fields)
            tensors[field.Name] = _storage[field.Name].IndexSelect(0, index).MoveToOuterScope();
        return new ReplaySample(tensors, rows);
    }

    private void Allocate(ReplayField[] fields)
    {
        using var scope = new TensorScope(); // the templates
        foreach (var field in fields)
            _storage[field.Name] = Tensor.OwnedZerosLike(Torch.Torch.Empty([Capacity, .. field.Shape], field.DType), $"replay.{field.Name}");
        _fields = fields;
    }

    private static ReplayField[] Canonical(IReadOnlyList<ReplayField> fields)
    {
        if (fields.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"ReplayBuffer: field '{repeated.Key}' is declared twice.", nameof(fields));
        return fields.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
    }

    private static long BatchSize(IReadOnlyDictionary<string, Tensor> samples)
    {
        var sizes = samples.ToDictionary(kv => kv.Key, kv => kv.Value.Shape[0]);
        if (sizes.Values.Distinct().Count() > 1)
            throw new ArgumentException(
                $"ReplayBuffer.Add: the fields disagree on the batch size ({string.Join(", ", samples.Select(kv => $"{kv.Key} {kv.Value.Describe()}"))}); " +
                "row i of every field must be the same sample.", nameof(samples));
        return sizes.Values.First();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
