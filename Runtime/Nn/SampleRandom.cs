using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Nn;

/// <summary>
/// Random numbers keyed by the sample they are for. Inside a training step (<see cref="Begin"/>) row j of a draw whose
/// rows are the batch's samples — or k rows per sample, as EAT's clones — comes from its own generator seeded by
/// (seed, step, draw, the row's global index under <see cref="BatchShare"/>), so a sample's masks, noise and dropout are
/// the same whether its batch ran in one process or was split across ranks. Draws are counted within the step, so every
/// rank must draw in the same order (the model's code is the same on every rank). Rows that are not the batch's (a
/// concatenation with replayed samples) are keyed by rank and row. Outside a step (evaluation, cost counting) each draw is
/// the same libtorch op on the whole tensor from the default generator.
/// </summary>
public sealed class SampleRandom : IDisposable
{
    [ThreadStatic] private static SampleRandom? _current;

    private readonly SampleRandom? _outer;
    private readonly Generator _generator = new(0);
    private readonly long _seed;
    private readonly long _step;
    private long _draws;

    private SampleRandom(long seed, long step)
    {
        (_seed, _step, _outer) = (seed, step, _current);
        _current = this;
    }

    /// <summary>Keyed draws for training step <paramref name="step"/> of a run seeded <paramref name="seed"/>, until disposed.</summary>
    public static SampleRandom Begin(long seed, long step) => new(seed, step);

    /// <summary>One draw over <paramref name="rows"/> rows: <see cref="RowGenerators.For"/> gives row j's generator.</summary>
    public static RowGenerators Rows(long rows) => new(_current, _current is { } stream ? stream._draws++ : 0, rows);

    /// <summary>U[0, 1) of <paramref name="shape"/>, Float32; the first dimension is the rows.</summary>
    public static Tensor Uniform(long[] shape, Device? device = null) =>
        ByRow(shape, device, (rows, g) => g is null ? Torch.Torch.Rand([rows, .. shape[1..]], DType.Float32, device) : Torch.Torch.Rand([rows, .. shape[1..]], g));

    /// <summary>N(0, 1) of <paramref name="shape"/>, Float32; the first dimension is the rows.</summary>
    public static Tensor Normal(long[] shape, Device? device = null) =>
        ByRow(shape, device, (rows, g) => g is null ? Torch.Torch.Randn([rows, .. shape[1..]], DType.Float32, device) : Torch.Torch.Randn([rows, .. shape[1..]], g));

    /// <summary>Int64 [rows] uniform over 0 … <paramref name="high"/> − 1.</summary>
    public static Tensor Integers(long high, long rows, Device? device = null) =>
        ByRow([rows], device, (n, g) => Torch.Torch.Randint(0, high, [n], g, g is null ? device : null));

    /// <summary>1 with each row's probability (<paramref name="probability"/> [rows, …]), else 0.</summary>
    public static Tensor Bernoulli(Tensor probability) =>
        ByRow(probability.Shape, probability.Device, (rows, g, row) => (g is null ? probability : OnCpu(probability.Narrow(0, row, rows))).Bernoulli(g));

    /// <summary>Each row of <paramref name="weights"/> [rows, N] sampled <paramref name="count"/> times without replacement.</summary>
    public static Tensor Multinomial(Tensor weights, long count) =>
        ByRow(weights.Shape, weights.Device, (rows, g, row) => (g is null ? weights : OnCpu(weights.Narrow(0, row, rows))).Multinomial(count, generator: g));

    /// <summary>U[0, 1) that is the same on every rank: a draw for the whole batch (mixup's λ).</summary>
    public static Tensor SharedUniform(long[] shape, DType dtype)
    {
        if (_current is not { } stream)
            return Torch.Torch.Rand(shape, dtype);
        stream._generator.ManualSeed(stream.Key(stream._draws++, domain: -1, row: 0));
        return Torch.Torch.Rand(shape, stream._generator, dtype);
    }

    private static Tensor ByRow(long[] shape, Device? device, Func<long, Generator?, Tensor> draw) =>
        ByRow(shape, device, (rows, g, _) => draw(rows, g));

    // The whole draw from the default generator outside a step; inside, one row at a time from its generator, on the CPU.
    private static Tensor ByRow(long[] shape, Device? device, Func<long, Generator?, long, Tensor> draw)
    {
        if (shape.Length == 0)
            throw new ArgumentException("sample random: a draw needs a first dimension of rows.", nameof(shape));
        if (_current is null)
            return draw(shape[0], null, 0);
        // Counted even when this rank has no rows (replayed ones before its buffer fills), so later draws keep their keys.
        var generators = Rows(shape[0]);
        if (shape[0] == 0)
            return draw(0, null, 0);
        using var scope = new TensorScope();
        var parts = new Tensor[shape[0]];
        for (var j = 0; j < parts.Length; j++)
            parts[j] = draw(1, generators.For(j), j);
        var whole = Torch.Torch.Cat(parts, 0);
        return scope.MoveToOuter(device is { Type: not DeviceType.Cpu } target ? whole.To(target) : whole);
    }

    private static Tensor OnCpu(Tensor x) => x.Device.Type == DeviceType.Cpu ? x : x.To(Device.Cpu);

    // SplitMix64's finaliser over (seed, step, draw, domain, row): nearby keys give unrelated streams.
    private long Key(long draw, long domain, long row)
    {
        var h = Mix(unchecked((ulong)_seed));
        foreach (var part in (ReadOnlySpan<long>)[_step, draw, domain, row])
            h = Mix(h ^ unchecked((ulong)part));
        return unchecked((long)(h & long.MaxValue));
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public void Dispose()
    {
        if (_current == this)
            _current = _outer;
        _generator.Dispose();
    }

    /// <summary>The generators of one draw's rows; all null outside a training step (the default generator).</summary>
    public readonly struct RowGenerators
    {
        private readonly SampleRandom? _stream;
        private readonly long _draw;
        private readonly long _rows;

        internal RowGenerators(SampleRandom? stream, long draw, long rows) => (_stream, _draw, _rows) = (stream, draw, rows);

        /// <summary>Row <paramref name="row"/>'s generator, seeded afresh (it is shared: use it before asking for the next row).</summary>
        public Generator? For(long row)
        {
            if (_stream is not { } stream)
                return null;
            var share = BatchShare.Current ?? new BatchShare(0, 1, _rows);
            var perSample = _rows % share.Samples == 0 ? _rows / share.Samples : 0;
            stream._generator.ManualSeed(perSample > 0
                ? stream.Key(_draw, domain: 0, row: share.GlobalSample(row / perSample) * perSample + row % perSample)
                : stream.Key(_draw, domain: share.Rank + 1, row: row));
            return stream._generator;
        }
    }
}
