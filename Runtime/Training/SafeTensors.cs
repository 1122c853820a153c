using System.Buffers.Binary;
using System.Text.Json;
using AvDsl.Runtime.IO;
using AvDsl.Runtime.Torch;

namespace AvDsl.Runtime.Training;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a UTF-8 JSON
/// header mapping each name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the data
/// section) plus an optional "__metadata__" string map, padded with spaces to 8 bytes, then the raw
/// little-endian tensor bytes, back to back. Files are written to a temporary name and renamed.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (in order) to <paramref name="path"/>; refuses to replace an existing file.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.ToList();
        var names = new HashSet<string>();
        foreach (var (name, _) in entries)
            if (name == MetadataKey || !names.Add(name))
                throw new ArgumentException($"safetensors: tensor name '{name}' is reserved or repeated.");
        var header = Header(entries, metadata, out var sizes);
        AtomicFile.WriteNew(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            var buffer = Array.Empty<byte>();
            for (var i = 0; i < entries.Count; i++)
            {
                if (buffer.Length < sizes[i])
                    buffer = new byte[sizes[i]];
                entries[i].Value.CopyBytesTo(buffer.AsSpan(0, checked((int)sizes[i])));
                stream.Write(buffer, 0, (int)sizes[i]);
            }
        }, flushToDisk: true);
    }

    private static byte[] Header(List<KeyValuePair<string, Tensor>> entries, IReadOnlyDictionary<string, string>? metadata, out long[] sizes)
    {
        sizes = new long[entries.Count];
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var (name, tensor) = entries[i];
                sizes[i] = tensor.ByteCount;
                writer.WriteStartObject(name);
                writer.WriteString("dtype", DTypeCode(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (var size in tensor.Shape) writer.WriteNumberValue(size);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + sizes[i]);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += sizes[i];
            }
            writer.WriteEndObject();
        }
        var length = (int)json.Length;
        var padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        json.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    /// <summary>Reads only the <c>__metadata__</c> strings of a .safetensors file (its header), not the tensors.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var document = JsonDocument.Parse(ReadHeader(stream, path));
        var metadata = new Dictionary<string, string>();
        if (document.RootElement.TryGetProperty(MetadataKey, out var items))
            foreach (var item in items.EnumerateObject())
                metadata[item.Name] = item.Value.GetString() ?? "";
        return metadata;
    }

    private static byte[] ReadHeader(FileStream stream, string path)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > 100_000_000 || (long)headerLength > stream.Length - 8)
            throw new InvalidDataException($"'{path}' is not a safetensors file (header length {headerLength}).");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        return headerBytes;
    }

    /// <summary>Reads every tensor (onto the CPU) and the metadata of a .safetensors file.</summary>
    /// <param name="select">Which tensors to load, by name; null loads all. The others are skipped unread (a teacher
    /// reads its components of a large checkpoint, not the run's decoders and optimizer state).</param>
    public static SafeTensorsFile Read(string path, Func<string, bool>? select = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var headerBytes = ReadHeader(stream, path);
        var dataStart = 8 + (long)headerBytes.Length;
        var dataLength = stream.Length - dataStart;

        using var document = JsonDocument.Parse(headerBytes);
        var metadata = new Dictionary<string, string>();
        var tensors = new OrderedDictionary<string, Tensor>();
        try
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.GetString() ?? "";
                    continue;
                }
                var dtype = ParseDType(property.Value.GetProperty("dtype").GetString(), path, property.Name);
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > dataLength || offsets[1] - offsets[0] != count * dtype.ElementSize())
                    throw new InvalidDataException(
                        $"'{path}': tensor '{property.Name}' ({dtype}[{string.Join(", ", shape)}]) has data offsets [{string.Join(", ", offsets)}] that do not fit its size or the file.");
                if (select is not null && !select(property.Name))
                    continue;
                var bytes = new byte[offsets[1] - offsets[0]];
                stream.Position = dataStart + offsets[0];
                stream.ReadExactly(bytes);
                tensors[property.Name] = Tensor.OwnedFromBytes(bytes, dtype, shape, "SafeTensors.Read", property.Name);
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private static string DTypeCode(DType dtype) => dtype switch
    {
        DType.Float64 => "F64",
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int16 => "I16",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors: no code for dtype {dtype}."),
    };

    private static DType ParseDType(string? code, string path, string name) => code switch
    {
        "F64" => DType.Float64,
        "F32" => DType.Float32,
        "F16" => DType.Float16,
        "BF16" => DType.BFloat16,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "I16" => DType.Int16,
        "I8" => DType.Int8,
        "U8" => DType.UInt8,
        "BOOL" => DType.Bool,
        _ => throw new InvalidDataException($"'{path}': tensor '{name}' has unsupported dtype '{code}'."),
    };
}
