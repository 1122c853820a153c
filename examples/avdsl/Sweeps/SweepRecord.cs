using System.Text.Json;
using System.Text.Json.Serialization;

namespace AvDsl.Cli.Sweeps;

/// <summary>
/// sweep.json: which sweep a sweep directory holds — its name, the spec it varies, the file, the <c>--set</c> overrides
/// and <c>--steps</c> every variant shares, and each variant's resolved-spec hash. A later <c>avdsl sweep</c> into the
/// same directory must be the same sweep (new points extend it); <c>avdsl report</c> reads it.
/// </summary>
public sealed record SweepRecord(string Sweep, string? Base, string File, IReadOnlyList<string> Overrides, long? Steps, IReadOnlyList<SweepRecord.Variant> Variants)
{
    public const string FileName = "sweep.json";

    /// <summary>One point: its name (its run directory's), its resolved spec's hash and what it sets.</summary>
    public sealed record Variant(string Name, string SpecHash, IReadOnlyDictionary<string, string> Settings);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Write(string directory)
    {
        var path = Path.Combine(directory, FileName);
        System.IO.File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json) + "\n");
        System.IO.File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The record in <paramref name="directory"/>; null when it holds none.</summary>
    /// <exception cref="InvalidDataException">sweep.json is there but not a sweep record.</exception>
    public static SweepRecord? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!System.IO.File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<SweepRecord>(System.IO.File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"'{path}' holds null, not a sweep record.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{path}' is not a sweep record written by `avdsl sweep` ({error.Message}).", error);
        }
    }
}
