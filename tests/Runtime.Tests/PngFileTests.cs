using System.Diagnostics;
using System.Text;
using AvDsl.Runtime.IO;
using Xunit;

using AvDsl.Tests.Shared;

namespace AvDsl.Runtime.Tests;

/// <summary>CRC-32 against its published check values, and PNG files decoded back: by a reader written here from the
/// format (<see cref="PngReader"/>: chunks, CRCs, zlib, filter bytes) and by ffmpeg.</summary>
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

        var decoded = PngReader.Decode(stream.ToArray());

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
