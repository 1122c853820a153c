using AvDsl.Runtime.Data;
using AvDsl.Runtime.IO;

namespace AvDsl.Cli.Pictures;

/// <summary>
/// Paints frames of a [3, frames, height, width] sample normalised as (x - mean[c]) / std[c]: each value taken back to
/// RGB in [0, 1] with the input's own mean and std, clamped, as 8 bits.
/// </summary>
internal sealed class FramePainter(int frames, int height, int width, FramesPicture normalisation)
{
    public Picture Frame(float[] values, int frame, float[]? hidden = null, Rgb colour = default)
    {
        var plane = height * width;
        var pixels = new byte[plane * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var at = y * width + x;
                for (var c = 0; c < 3; c++)
                {
                    var i = (c * frames + frame) * plane + at;
                    pixels[at * 3 + c] = hidden is not null && hidden[i] != 0
                        ? colour[c]
                        : (byte)Math.Round(255 * Math.Clamp(values[i] * normalisation.Std[c] + normalisation.Mean[c], 0f, 1f));
                }
            }
        return new Picture(width, height, PictureColour.Rgb, pixels);
    }
}
