using System.Buffers.Binary;
using System.Text;

namespace AvDsl.Runtime.IO.TensorBoard;

/// <summary>
/// Protocol Buffers' wire format for the few messages an event file holds, field by field: varints (wire type 0),
/// 64-bit (1), length-delimited (2) and 32-bit (5). Every field asked for is written, defaults included, so that a
/// member of a <c>oneof</c> reads back as set even when it is 0.
/// </summary>
public sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer = new();

    public ProtobufWriter Varint(int field, long value)
    {
        Tag(field, 0);
        RawVarint(unchecked((ulong)value)); // a negative int32/int64/enum takes ten bytes, as the format says
        return this;
    }

    public ProtobufWriter Bool(int field, bool value) => Varint(field, value ? 1 : 0);

    public ProtobufWriter Double(int field, double value)
    {
        Tag(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        RawVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A nested message: its encoding, length-delimited.</summary>
    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray() => _buffer.ToArray();

    private void Tag(int field, int wireType)
    {
        if (field < 1)
            throw new ArgumentOutOfRangeException(nameof(field), $"protobuf field numbers start at 1, got {field}.");
        RawVarint(((ulong)field << 3) | (uint)wireType);
    }

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
