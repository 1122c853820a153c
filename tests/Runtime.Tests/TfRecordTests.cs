using System.Buffers.Binary;
using System.Text;
using AvDsl.Runtime.IO;
using AvDsl.Runtime.IO.TensorBoard;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>CRC-32C against its published check values, TFRecord framing read back by a reader written here from the format,
/// and the protobuf wire encoding against the examples of the format's documentation.</summary>
public sealed class TfRecordTests
{
    [Fact]
    public void Crc32c_gives_the_published_check_values()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));                 // the CRC-32C check value
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));                   // RFC 3720 B.4: 32 bytes of zeros
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray())); // 32 bytes of ones
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray())); // incrementing
        Assert.Equal(0u, Crc32C.Compute([]));
        Assert.NotEqual(Crc32.Compute("123456789"u8), Crc32C.Compute("123456789"u8)); // not the IEEE polynomial
    }

    [Fact]
    public void The_mask_rotates_and_adds_tensorflows_constant()
    {
        Assert.Equal(0xA282EAD8u, Crc32C.Mask(0));
        Assert.Equal(0xC78AB0E5u, Crc32C.Masked("123456789"u8));   // computed with python3-crc32c
        Assert.Equal(0x07980329u, Crc32C.Masked(new byte[8]));     // the length field of an empty record
        Assert.Equal(unchecked(0x00020000u + 0xA282EAD8u), Crc32C.Mask(1)); // bit 0 lands on bit 17
    }

    [Fact]
    public void Framed_records_read_back_with_their_lengths_and_checksums()
    {
        byte[][] records = [[], "brain.Event:2"u8.ToArray(), Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray()];
        var stream = new MemoryStream();
        using (var writer = new TfRecordWriter(stream))
            foreach (var record in records)
                writer.Write(record);

        var bytes = stream.ToArray();
        var read = new List<byte[]>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)));
            Assert.Equal(Crc32C.Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            var data = bytes.AsSpan(at + 12, length);
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)));
            read.Add(data.ToArray());
            at += 16 + length;
        }
        Assert.Equal(records, read);
        Assert.Equal(records.Sum(r => 16 + r.Length), bytes.Length);
    }

    [Fact]
    public void Protobuf_fields_are_encoded_as_the_format_documents()
    {
        // The encoding guide's examples: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
        Assert.Equal(Convert.FromHexString("089601"), new ProtobufWriter().Varint(1, 150).ToArray());
        Assert.Equal(Convert.FromHexString("120774657374696e67"), new ProtobufWriter().String(2, "testing").ToArray());
        // A negative int64 is ten bytes; a double is tag 09 and eight little-endian bytes; a float tag 15 (field 2, type 5).
        Assert.Equal(Convert.FromHexString("10FFFFFFFFFFFFFFFFFF01"), new ProtobufWriter().Varint(2, -1).ToArray());
        Assert.Equal(Convert.FromHexString("09000000000000F03F"), new ProtobufWriter().Double(1, 1.0).ToArray());
        Assert.Equal(Convert.FromHexString("150000803F"), new ProtobufWriter().Float(2, 1.0f).ToArray());
        // A nested message is length-delimited: field 3 { field 1 = 150 } is 1a 03 08 96 01.
        Assert.Equal(Convert.FromHexString("1A03089601"), new ProtobufWriter().Message(3, new ProtobufWriter().Varint(1, 150)).ToArray());
    }

    [Fact]
    public void A_hyperparameter_of_another_type_is_refused_by_name()
    {
        var problem = Assert.Throws<ArgumentException>(() =>
            HParamsPluginData.SessionStart(new Dictionary<string, object> { ["mask"] = new[] { 0.1, 0.2 } }, 0));
        Assert.Contains("'mask'", problem.Message);
        Assert.Contains("a string, a number or a boolean", problem.Message);
    }

    [Fact]
    public void Event_files_are_named_as_tensorboard_names_them_and_never_overwritten()
    {
        var folder = Directory.CreateTempSubdirectory("avdsl-events-").FullName;
        try
        {
            var before = Math.Floor(EventFile.UnixSeconds());
            using var first = EventFile.Create(folder);
            using var second = EventFile.Create(folder);
            var parts = Path.GetFileName(first.Path).Split('.');
            Assert.Equal(["events", "out", "tfevents"], parts[..3]);
            Assert.InRange(long.Parse(parts[3]), before, before + 60); // Unix seconds, not .NET ticks
            Assert.Equal(Environment.ProcessId.ToString(), parts[^1]);
            Assert.NotEqual(first.Path, second.Path);
            Assert.True(string.CompareOrdinal(Path.GetFileName(second.Path), Path.GetFileName(first.Path)) > 0, "a later file must sort after");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
