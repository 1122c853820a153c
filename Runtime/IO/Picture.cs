namespace AvDsl.Runtime.IO;

/// <summary>The colour model of a <see cref="Picture"/>: one grey byte per pixel, or red, green and blue bytes.</summary>
public enum PictureColour
{
    Grey = 1,
    Rgb = 3,
}

/// <summary>
/// An 8-bit picture in memory: <see cref="Pixels"/> holds rows top to bottom, pixels left to right, each pixel one byte
/// (<see cref="PictureColour.Grey"/>) or three (<see cref="PictureColour.Rgb"/>, red first). <see cref="PngFile"/> writes it.
/// </summary>
public sealed class Picture
{
    public Picture(int width, int height, PictureColour colour, byte[] pixels)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"a picture needs a positive width and height, got {width} x {height}.");
        if (!Enum.IsDefined(colour))
            throw new ArgumentOutOfRangeException(nameof(colour), colour, "unknown colour model.");
        if (pixels.LongLength != (long)width * height * (int)colour)
            throw new ArgumentException($"a {width} x {height} {colour} picture holds {(long)width * height * (int)colour} bytes, got {pixels.LongLength}.", nameof(pixels));
        Width = width;
        Height = height;
        Colour = colour;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public PictureColour Colour { get; }
    public byte[] Pixels { get; }

    /// <summary>Bytes per pixel: 1 or 3.</summary>
    public int Channels => (int)Colour;
}
