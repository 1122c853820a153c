using System.Buffers.Binary;

namespace AvDsl.Runtime.IO;

/// <summary>
/// Writes TFRecord framing, what TensorBoard's event files are made of: per record the length as a little-endian
/// uint64, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data (<see cref="Crc32C.Mask"/>).
/// A reader that meets a record cut short by a kill stops there, so each record is written whole and flushed on request.
/// </summary>
public sealed class TfRecordWriter : IDisposable
{
    private readonly Stream _stream;

    public TfRecordWriter(Stream stream) => _stream = stream;

    /// <summary>Frames <paramref name="data"/> as one record.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        var record = new byte[8 + 4 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32C.Masked(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Crc32C.Masked(data));
        _stream.Write(record);
    }

    /// <summary>Pushes what was written to the file, so a kill loses at most what comes after.</summary>
    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();
}
