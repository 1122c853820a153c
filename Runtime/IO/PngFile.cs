using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AvDsl.Runtime.IO;

/// <summary>
/// Writes a <see cref="Picture"/> as a PNG file (ISO/IEC 15948): the signature, an IHDR chunk (8 bits per sample,
/// greyscale or truecolour, not interlaced), one IDAT chunk holding the zlib-compressed rows (each row with filter type 0,
/// None) and IEND; every chunk closed by its <see cref="Crc32"/>. Files are written under a temporary name and renamed.
/// </summary>
public static class PngFile
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="picture"/> to <paramref name="path"/>, replacing a file there.</summary>
    public static void Write(string path, Picture picture) => AtomicFile.Write(path, stream => Write(stream, picture));

    /// <summary>Writes <paramref name="picture"/> as PNG to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, Picture picture)
    {
        stream.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, picture.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], picture.Height);
        header[8] = 8;                                                    // bits per sample
        header[9] = picture.Colour == PictureColour.Grey ? (byte)0 : (byte)2; // colour type: greyscale, truecolour
        header[10] = 0;                                                   // compression: deflate
        header[11] = 0;                                                   // filter method: adaptive (types 0-4)
        header[12] = 0;                                                   // not interlaced
        WriteChunk(stream, "IHDR", header);

        WriteChunk(stream, "IDAT", Compressed(picture));
        WriteChunk(stream, "IEND", []);
    }

    /// <summary>The rows, each led by its filter type byte (0: None), as one zlib stream.</summary>
    private static byte[] Compressed(Picture picture)
    {
        var rowBytes = picture.Width * picture.Channels;
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var row = 0; row < picture.Height; row++)
            {
                zlib.WriteByte(0);
                zlib.Write(picture.Pixels, row * rowBytes, rowBytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Length, type, data, and the CRC of type and data.</summary>
    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        Span<byte> name = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, name);
        stream.Write(name);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(name), data));
        stream.Write(word);
    }
}
