using AvDsl.Runtime.IO;

namespace AvDsl.Cli.Pictures;

/// <summary>
/// Paints a [frames, bins] sample as a spectrogram: one pixel per value, time left to right, bin 0 (the lowest
/// frequency) in the bottom row; values from <c>low</c> (black) to <c>high</c> (white) on a grey scale, clamped beyond.
/// </summary>
internal sealed class SpectrogramPainter(int frames, int bins, float low, float high)
{
    /// <summary>The grey spectrogram.</summary>
    public Picture Grey(float[] values)
    {
        var pixels = new byte[frames * bins];
        for (var t = 0; t < frames; t++)
            for (var f = 0; f < bins; f++)
                pixels[Pixel(t, f)] = Level(values[t * bins + f]);
        return new Picture(frames, bins, PictureColour.Grey, pixels);
    }

    /// <summary>The spectrogram in RGB (grey) with every value where <paramref name="hidden"/> is 1 painted <paramref name="colour"/>.</summary>
    public Picture Masked(float[] values, float[] hidden, Rgb colour)
    {
        var pixels = new byte[frames * bins * 3];
        for (var t = 0; t < frames; t++)
            for (var f = 0; f < bins; f++)
            {
                var i = t * bins + f;
                var (r, g, b) = hidden[i] != 0 ? (colour.R, colour.G, colour.B) : (Level(values[i]), Level(values[i]), Level(values[i]));
                var p = Pixel(t, f) * 3;
                (pixels[p], pixels[p + 1], pixels[p + 2]) = (r, g, b);
            }
        return new Picture(frames, bins, PictureColour.Rgb, pixels);
    }

    /// <summary>Frame t is column t; bin f is row bins - 1 - f from the top.</summary>
    private int Pixel(int t, int f) => (bins - 1 - f) * frames + t;

    private byte Level(float value) =>
        high > low ? (byte)Math.Round(255 * Math.Clamp((value - low) / (high - low), 0f, 1f)) : (byte)0;
}
