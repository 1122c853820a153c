using System.Globalization;
using System.Text;
using System.Text.Json;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Data;

/// <summary>
/// A list of clips in CSV (a header row naming the columns) or JSON Lines (one object per line):
/// <c>path</c> (relative to the manifest's folder, or absolute), <c>label</c> or <c>labels</c> (CSV: separated
/// by ';'; JSONL: a string or an array), optional <c>start</c>/<c>end</c> in seconds, optional <c>split</c>.
/// </summary>
public sealed class Manifest
{
    private static readonly string[] KnownColumns = ["path", "label", "labels", "start", "end", "split"];

    public Manifest(string path, IReadOnlyList<ManifestEntry> entries)
    {
        Path = path;
        Entries = entries;
    }

    public string Path { get; }
    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>The entries of one split (all entries when <paramref name="split"/> is null or empty).</summary>
    public IReadOnlyList<ManifestEntry> Split(string? split) =>
        string.IsNullOrEmpty(split) ? Entries : Entries.Where(e => e.Split == split).ToList();

    /// <summary>Every label in the manifest, sorted ordinally: the class index of a label is its position here.</summary>
    public IReadOnlyList<string> LabelSet() => Entries.SelectMany(e => e.Labels).Distinct().Order(StringComparer.Ordinal).ToList();

    public static Manifest Load(string path)
    {
        if (!File.Exists(path))
            throw new ManifestException($"{path}: no such manifest file; pass a .csv or .jsonl manifest (./avdsl corpus builds the demo's).");
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var lines = File.ReadAllLines(path);
        var entries = extension switch
        {
            ".csv" => ParseCsv(path, folder, lines),
            ".jsonl" or ".ndjson" => ParseJsonLines(path, folder, lines),
            _ => throw new ManifestException($"{path}: unknown manifest format '{extension}'; use .csv (with a header row) or .jsonl."),
        };
        if (entries.Count == 0)
            throw new ManifestException($"{path}: the manifest lists no clips; add one row per media file.");
        return new Manifest(path, entries);
    }

    private static List<ManifestEntry> ParseCsv(string path, string folder, string[] lines)
    {
        var entries = new List<ManifestEntry>();
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) return entries;
        var header = SplitCsv(path, first + 1, lines[first]).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        foreach (var column in header)
            if (!KnownColumns.Contains(column))
                throw new ManifestException($"{path}:{first + 1}: unknown column '{column}'; the columns are {string.Join(", ", KnownColumns)}.");
        if (!header.Contains("path"))
            throw new ManifestException($"{path}:{first + 1}: the header has no 'path' column; the first row must name the columns, e.g. path,label,split.");
        for (var i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var cells = SplitCsv(path, i + 1, lines[i]);
            if (cells.Count != header.Length)
                throw new ManifestException($"{path}:{i + 1}: {cells.Count} fields but the header has {header.Length}; quote fields that contain commas.");
            var row = header.Zip(cells).ToDictionary(p => p.First, p => p.Second.Trim());
            var labels = new List<string>();
            if (row.TryGetValue("label", out var label) && label.Length > 0) labels.Add(label);
            if (row.TryGetValue("labels", out var many))
                labels.AddRange(many.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            entries.Add(Entry(path, folder, i + 1, row["path"], labels,
                Seconds(path, i + 1, "start", row.GetValueOrDefault("start")),
                Seconds(path, i + 1, "end", row.GetValueOrDefault("end")),
                row.GetValueOrDefault("split") ?? ""));
        }
        return entries;
    }

    private static List<ManifestEntry> ParseJsonLines(string path, string folder, string[] lines)
    {
        var entries = new List<ManifestEntry>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            JsonElement row;
            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                row = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ManifestException($"{path}:{i + 1}: not a JSON object ({e.Message}); each line must be one object such as {{\"path\": \"a.wav\", \"label\": \"yes\"}}.");
            }
            if (row.ValueKind != JsonValueKind.Object)
                throw new ManifestException($"{path}:{i + 1}: each line must be a JSON object, found {row.ValueKind}.");
            foreach (var property in row.EnumerateObject())
                if (!KnownColumns.Contains(property.Name))
                    throw new ManifestException($"{path}:{i + 1}: unknown field '{property.Name}'; the fields are {string.Join(", ", KnownColumns)}.");
            if (!row.TryGetProperty("path", out var p) || p.ValueKind != JsonValueKind.String)
                throw new ManifestException($"{path}:{i + 1}: no \"path\" string; every line needs the media file's path.");
            var labels = new List<string>();
            if (row.TryGetProperty("label", out var l)) labels.Add(Text(path, i + 1, "label", l));
            if (row.TryGetProperty("labels", out var ls))
            {
                if (ls.ValueKind != JsonValueKind.Array)
                    throw new ManifestException($"{path}:{i + 1}: \"labels\" must be an array of strings.");
                labels.AddRange(ls.EnumerateArray().Select(x => Text(path, i + 1, "labels", x)));
            }
            entries.Add(Entry(path, folder, i + 1, p.GetString()!, labels,
                row.TryGetProperty("start", out var s) ? Number(path, i + 1, "start", s) : null,
                row.TryGetProperty("end", out var e2) ? Number(path, i + 1, "end", e2) : null,
                row.TryGetProperty("split", out var sp) ? Text(path, i + 1, "split", sp) : ""));
        }
        return entries;
    }

    private static ManifestEntry Entry(string manifest, string folder, int line, string media, List<string> labels, double? start, double? end, string split)
    {
        if (media.Length == 0)
            throw new ManifestException($"{manifest}:{line}: empty path; give the media file's path relative to the manifest.");
        if (start < 0 || (end is { } e && e <= (start ?? 0)))
            throw new ManifestException(FormattableString.Invariant($"{manifest}:{line}: start {start} and end {end} do not make a window; need 0 ≤ start < end (seconds)."));
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, media));
        return new ManifestEntry(full, media, labels, new TimeWindow(start ?? 0, end), split, line);
    }

    private static double? Seconds(string path, int line, string column, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        throw new ManifestException($"{path}:{line}: {column} '{text}' is not a number of seconds.");
    }

    private static double Number(string path, int line, string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble()
            : throw new ManifestException($"{path}:{line}: \"{field}\" must be a number of seconds, found {value.ValueKind}.");

    private static string Text(string path, int line, string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()!
            : throw new ManifestException($"{path}:{line}: \"{field}\" must be a string, found {value.ValueKind}.");

    /// <summary>RFC 4180 fields: commas separate, double quotes enclose, "" is a quote inside quotes.</summary>
    private static List<string> SplitCsv(string path, int line, string text)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        if (quoted)
            throw new ManifestException($"{path}:{line}: a quoted field is not closed; end it with a double quote.");
        fields.Add(current.ToString());
        return fields;
    }

    /// <summary>Writes entries as CSV (path relative to the manifest), through a temporary name.</summary>
    public static void WriteCsv(string path, IEnumerable<(string RelativePath, string Label, string Split)> rows)
    {
        var text = new StringBuilder("path,label,split\n");
        foreach (var (relative, label, split) in rows)
            text.Append(Quote(relative)).Append(',').Append(Quote(label)).Append(',').Append(Quote(split)).Append('\n');
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
