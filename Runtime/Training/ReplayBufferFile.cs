using System.Globalization;
using System.Text.Json;
using AvDsl.Runtime.Data;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// A <see cref="ReplayBuffer"/> on disk: one safetensors file (written to a temporary name, flushed and renamed, never
/// over an existing file) holding each field's stored rows as <c>field.&lt;name&gt;</c> [count, ..shape] in the field's own
/// dtype, and as metadata: <c>format</c> (<see cref="Format"/>), <c>identity</c>, <c>capacity</c>, <c>count</c>, <c>seen</c>,
/// <c>seed</c> (for the reader; the generator states are what a load restores), <c>rng.reservoir</c> and <c>rng.draws</c>
/// (<see cref="HostRandomState"/>, 64 hex digits each), <c>fields</c> (a JSON array of the field names, in file order) and
/// <c>layout</c> (the fields as text, for a person reading the header).
/// <see cref="Read"/> checks the file against itself (readable, complete, consistent); the caller compares it with its buffer.
/// </summary>
internal sealed class ReplayBufferFile : IDisposable
{
    public const string Format = "avdsl-replay-buffer/1";
    public const string FieldPrefix = "field.";
    private const string FormatKey = "format";
    private const string IdentityKey = "identity";
    private const string CapacityKey = "capacity";
    private const string CountKey = "count";
    private const string SeenKey = "seen";
    private const string SeedKey = "seed";
    private const string ReservoirRngKey = "rng.reservoir";
    private const string DrawsRngKey = "rng.draws";
    private const string FieldsKey = "fields";
    private const string LayoutKey = "layout";

    private readonly SafeTensorsFile _file;

    private ReplayBufferFile(SafeTensorsFile file, string path)
    {
        _file = file;
        FilePath = path;
    }

    public string FilePath { get; }
    public string Identity { get; private init; } = "";
    public int Capacity { get; private init; }
    public int Count { get; private init; }
    public long Seen { get; private init; }
    public HostRandomState Reservoir { get; private init; }
    public HostRandomState Draws { get; private init; }
    public IReadOnlyList<ReplayField> Fields { get; private init; } = [];

    /// <summary>The stored rows of <paramref name="field"/>, [<see cref="Count"/>, ..shape]; the file owns them.</summary>
    public Tensor Rows(string field) => _file.Tensors[FieldPrefix + field];

    /// <summary>Writes a buffer's state; <paramref name="rows"/> holds each field's first <paramref name="count"/> rows.</summary>
    public static void Write(string path, string identity, int capacity, long seed, int count, long seen, HostRandomState reservoir,
        HostRandomState draws, IReadOnlyList<(ReplayField Field, Tensor Rows)> rows)
    {
        var metadata = new Dictionary<string, string>
        {
            [FormatKey] = Format,
            [IdentityKey] = identity,
            [CapacityKey] = capacity.ToString(CultureInfo.InvariantCulture),
            [CountKey] = count.ToString(CultureInfo.InvariantCulture),
            [SeenKey] = seen.ToString(CultureInfo.InvariantCulture),
            [SeedKey] = seed.ToString(CultureInfo.InvariantCulture),
            [ReservoirRngKey] = reservoir.ToString(),
            [DrawsRngKey] = draws.ToString(),
            [FieldsKey] = JsonSerializer.Serialize(rows.Select(r => r.Field.Name).ToArray()),
            [LayoutKey] = string.Join("; ", rows.Select(r => r.Field.ToString())),
        };
        SafeTensors.Write(path, rows.Select(r => new KeyValuePair<string, Tensor>(FieldPrefix + r.Field.Name, r.Rows)), metadata);
    }

    /// <summary>
    /// Opens a buffer file and checks it is whole and consistent; throws <see cref="ReplayBufferFileException"/>
    /// (<see cref="ReplayBufferFileProblem.Missing"/>, <see cref="ReplayBufferFileProblem.Damaged"/> or
    /// <see cref="ReplayBufferFileProblem.NotAReplayBuffer"/>) otherwise.
    /// </summary>
    public static ReplayBufferFile Read(string path)
    {
        if (!File.Exists(path))
            throw new ReplayBufferFileException(path, ReplayBufferFileProblem.Missing,
                $"There is no replay-buffer file '{path}'. A run that resumes needs the buffer saved with its checkpoint: " +
                "put the file back, resume from a checkpoint whose buffer file exists, or start the run again.");
        SafeTensorsFile file;
        try
        {
            file = SafeTensors.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or KeyNotFoundException
                                      or InvalidOperationException or FormatException or OverflowException)
        {
            throw Damaged(path, $"it cannot be read as a safetensors file ({e.Message})", e);
        }
        try
        {
            return Check(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static ReplayBufferFile Check(SafeTensorsFile file, string path)
    {
        var metadata = file.Metadata;
        if (!metadata.TryGetValue(FormatKey, out var format) || format != Format)
            throw new ReplayBufferFileException(path, ReplayBufferFileProblem.NotAReplayBuffer,
                $"'{path}' is not a replay-buffer file: its format is {(format is null ? "not stated" : $"'{format}'")}, " +
                $"a buffer's is '{Format}'. Pass the file ReplayBuffer.Save wrote (not the model's checkpoint).");

        string Text(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw Damaged(path, $"its metadata has no '{key}'");
        long Number(string key, long max)
        {
            var text = Text(key);
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max
                ? value
                : throw Damaged(path, $"its '{key}' is '{text}', not a count");
        }
        HostRandomState Rng(string key)
        {
            try
            {
                return HostRandomState.Parse(Text(key));
            }
            catch (FormatException e)
            {
                throw Damaged(path, $"its '{key}' is not a generator state ({e.Message})", e);
            }
        }

        var identity = Text(IdentityKey);
        var capacity = (int)Number(CapacityKey, int.MaxValue);
        var count = (int)Number(CountKey, int.MaxValue);
        var seen = Number(SeenKey, long.MaxValue);
        if (count != Math.Min(seen, capacity))
            throw Damaged(path, $"it holds {count} samples after seeing {seen} with room for {capacity}; a reservoir holds min(seen, capacity)");
        var reservoir = Rng(ReservoirRngKey);
        var draws = Rng(DrawsRngKey);

        string[] names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(Text(FieldsKey)) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw Damaged(path, $"its '{FieldsKey}' is not a list of names ({e.Message})", e);
        }
        if (names.Any(string.IsNullOrEmpty))
            throw Damaged(path, $"its '{FieldsKey}' holds an empty name");
        var expected = names.Select(n => FieldPrefix + n).ToHashSet();
        if (expected.Count != names.Length || !expected.SetEquals(file.Tensors.Keys))
            throw Damaged(path, $"it lists the fields [{string.Join(", ", names)}] but holds the tensors [{string.Join(", ", file.Tensors.Keys)}]");
        if (names.Length == 0 && count > 0)
            throw Damaged(path, $"it holds {count} samples but no fields");
        var fields = new List<ReplayField>();
        foreach (var name in names)
        {
            var rows = file.Tensors[FieldPrefix + name];
            var shape = rows.Shape;
            if (shape.Length == 0 || shape[0] != count)
                throw Damaged(path, $"field '{name}' holds {rows.Describe()}, not {count} rows");
            fields.Add(new ReplayField(name, rows.DType, shape[1..]));
        }
        return new ReplayBufferFile(file, path)
        {
            Identity = identity, Capacity = capacity, Count = count, Seen = seen, Reservoir = reservoir, Draws = draws,
            Fields = fields.OrderBy(f => f.Name, StringComparer.Ordinal).ToArray(), // the order a buffer keeps its fields in
        };
    }

    private static ReplayBufferFileException Damaged(string path, string what, Exception? inner = null) =>
        new(path, ReplayBufferFileProblem.Damaged,
            $"The replay-buffer file '{path}' is truncated or damaged: {what}. The buffer cannot be restored from it: " +
            "resume from an earlier checkpoint whose buffer file is intact, or start the run again.", inner);

    public void Dispose() => _file.Dispose();
}
