using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using AvDsl.Runtime.IO;
using Xunit;

namespace AvDsl.Runtime.Tests;

/// <summary>CRC-32 against its published check values, and PNG files decoded back: by a reader written here from the
/// format (chunks, CRCs, zlib, filter bytes) and by ffmpeg.</summary>
public sealed class PngFileTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)]                                  // the CRC-32 check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    [InlineData("IEND", 0xAE426082u)]                                      // the CRC every PNG file ends with
    public void Crc32_gives_the_published_values(string text, uint expected) =>
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Crc32_continues_over_a_second_piece()
    {
        var bytes = Encoding.ASCII.GetBytes("123456789");
        for (var split = 0; split <= bytes.Length; split++)
            Assert.Equal(0xCBF43926u, Crc32.Append(Crc32.Compute(bytes.AsSpan(0, split)), bytes.AsSpan(split)));
    }

    public static TheoryData<int, int, PictureColour> Sizes => new()
    {
        { 1, 1, PictureColour.Grey },
        { 5, 3, PictureColour.Grey },
        { 256, 128, PictureColour.Grey },
        { 7, 2, PictureColour.Rgb },
        { 64, 64, PictureColour.Rgb },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_written_png_decodes_to_its_pixels(int width, int height, PictureColour colour)
    {
        var picture = Pattern(width, height, colour);
        using var stream = new MemoryStream();
        PngFile.Write(stream, picture);

        var decoded = Decode(stream.ToArray());

        Assert.Equal((width, height, colour), (decoded.Width, decoded.Height, decoded.Colour));
        Assert.Equal(picture.Pixels, decoded.Pixels);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Ffmpeg_reads_a_written_png_as_the_same_size_and_pixels(int width, int height, PictureColour colour)
    {
        var picture = Pattern(width, height, colour);
        var path = Path.Combine(Path.GetTempPath(), $"avdsl-png-{Guid.NewGuid():N}.png");
        try
        {
            PngFile.Write(path, picture);
            var format = colour == PictureColour.Grey ? "gray" : "rgb24";

            var probe = Encoding.ASCII.GetString(Run("ffprobe", "-v", "error", "-show_entries", "stream=width,height,pix_fmt", "-of", "csv=p=0", path)).Trim();
            Assert.Equal($"{width},{height},{format}", probe);
            Assert.Equal(picture.Pixels, Run("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", format, "-"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_file_starts_with_the_signature_and_ends_with_iend()
    {
        using var stream = new MemoryStream();
        PngFile.Write(stream, Pattern(3, 2, PictureColour.Rgb));
        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82 }, bytes[^12..]);
    }

    [Fact]
    public void A_picture_whose_bytes_do_not_fill_it_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Picture(4, 2, PictureColour.Rgb, new byte[8]));
        Assert.Contains("4 x 2 Rgb picture holds 24 bytes, got 8", error.Message);
    }

    /// <summary>Every byte different from its neighbours, so a swapped row, column or channel shows.</summary>
    private static Picture Pattern(int width, int height, PictureColour colour)
    {
        var pixels = new byte[width * height * (int)colour];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7 + i / 13);
        return new Picture(width, height, colour, pixels);
    }

    /// <summary>A PNG reader for what the writer may produce: 8-bit greyscale or truecolour, not interlaced, any of the five
    /// filter types; every chunk's CRC checked.</summary>
    private static Picture Decode(byte[] file)
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

    /// <summary>A tool's standard output; fails the test with its standard error when it exits non-zero.</summary>
    private static byte[] Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {error.Result}");
        return output.ToArray();
    }
}
