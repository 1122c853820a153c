using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using AvDsl.Runtime.IO;
using Xunit;

namespace AvDsl.Tests.Shared;

/// <summary>Reads PNG files back in tests, written from the format rather than from <see cref="PngFile"/>.</summary>
public static class PngReader
{
    public static Picture Read(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>A PNG reader for what the writer may produce: 8-bit greyscale or truecolour, not interlaced, any of the five
    /// filter types; every chunk's CRC checked.</summary>
    public static Picture Decode(byte[] file)
    {
        Assert.True(file.AsSpan(0, 8).SequenceEqual(PngFile.Signature), "no PNG signature");
        int width = 0, height = 0, channels = 0;
        var compressed = new MemoryStream();
        var position = 8;
        var ended = false;
        while (!ended)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(position));
            var type = Encoding.ASCII.GetString(file, position + 4, 4);
            var data = file.AsSpan(position + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position + 8 + length));
            Assert.Equal(Crc32.Compute(file.AsSpan(position + 4, 4 + length)), crc);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]);
                    channels = data[9] switch { 0 => 1, 2 => 3, var other => throw new InvalidDataException($"colour type {other}") };
                    Assert.Equal(new byte[] { 0, 0, 0 }, data[10..13].ToArray());
                    break;
                case "IDAT":
                    compressed.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
            }
            position += 12 + length;
        }
        Assert.Equal(file.Length, position);

        compressed.Position = 0;
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var rows = raw.ToArray();
        var stride = width * channels;
        Assert.Equal(height * (stride + 1), rows.Length);
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = rows[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                var value = rows[y * (stride + 1) + 1 + x];
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                pixels[y * stride + x] = (byte)(value + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter type {filter}"),
                });
            }
        }
        return new Picture(width, height, channels == 1 ? PictureColour.Grey : PictureColour.Rgb, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
