using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Data;

/// <summary>
/// NumPy .npy (format 1.0/2.0/3.0) for little-endian float32 arrays in C order — what features are stored
/// as and what numpy.load reads. Also reads float64 (converted), which numpy writes by default.
/// </summary>
public static partial class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void Write(string path, ReadOnlySpan<float> data, params int[] shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), $"npy {path}: negative dimension in shape ({string.Join(", ", shape)}).");
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"npy {path}: shape ({string.Join(", ", shape)}) holds {count} values, the data has {data.Length}.");
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        // Header padded with spaces and a newline so the data starts on a 64-byte boundary.
        var unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        var padding = (64 - unpadded % 64) % 64;
        var header = dict + new string(' ', padding) + "\n";
        var body = new byte[data.Length * 4];
        for (var i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(i * 4), data[i]);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.Write([1, 0]);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
            stream.Write(length);
            stream.Write(Encoding.ASCII.GetBytes(header));
            stream.Write(body);
        });
    }

    /// <summary>The array as float32 in C order, and its shape.</summary>
    public static float[] Read(string path, out int[] shape)
    {
        if (!File.Exists(path))
            throw new InvalidMediaException(path, BadInputReason.Missing, $"{path}: no such file.");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
            throw new InvalidMediaException(path, BadInputReason.Empty, $"{path}: the file is empty.");
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: not a NumPy .npy file (no \\x93NUMPY magic).");
        var major = bytes[6];
        int headerLength, headerStart;
        if (major == 1) { headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)); headerStart = 10; }
        else if (major is 2 or 3 && bytes.Length >= 12) { headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)); headerStart = 12; }
        else throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: .npy format version {major} is not supported (1, 2 and 3 are).");
        if (headerStart + headerLength > bytes.Length)
            throw new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: the .npy header is cut short.");
        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);

        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: unreadable .npy header: {header.Trim()}");
        if (order.Groups[1].Value == "True")
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: Fortran-order arrays are not supported; save with numpy.ascontiguousarray first.");
        shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long count = 1;
        foreach (var d in shape) count *= d;
        var type = descr.Groups[1].Value;
        var size = type switch { "<f4" => 4, "<f8" => 8, _ => 0 };
        if (size == 0)
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: dtype '{type}' is not supported (little-endian float32 '<f4' and float64 '<f8' are).");
        var dataStart = headerStart + headerLength;
        if (dataStart + count * size > bytes.Length)
            throw new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: the .npy data is cut short: shape ({string.Join(", ", shape)}) needs {count * size} bytes, the file has {bytes.Length - dataStart}.");
        var result = new float[count];
        for (var i = 0; i < count; i++)
            result[i] = size == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + i * 4))
                : (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(dataStart + i * 8));
        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
