namespace AvDsl.Demo;

/// <summary>
/// Draws a video that follows its sound: on a dark background, one shape in a class-specific colour and
/// form whose size and brightness follow the loudness envelope, which jumps up at each onset (a rise of the
/// envelope) and settles back, and which drifts left to right over the clip. <see cref="Height"/> of the
/// shape's resting point can encode a continuous property (e.g. pitch). Frames are RGB24, row-major.
/// </summary>
public sealed class SoundVideoRenderer(int size = 128, int fps = 25)
{
    public int Size { get; } = size;
    public int Fps { get; } = fps;

    public enum Shape { Disc, Square, Diamond, Ring, Cross }

    /// <summary>RGB24 frames for <paramref name="samples"/> at <paramref name="sampleRate"/>; rest height in [0, 1] (1 = top).</summary>
    public byte[] Render(ReadOnlySpan<float> samples, int sampleRate, Shape shape, (byte R, byte G, byte B) colour, double restHeight)
    {
        var perFrame = sampleRate / Fps;
        var frames = Math.Max(1, (samples.Length + perFrame - 1) / perFrame);
        var envelope = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            var window = samples.Slice(f * perFrame, Math.Min(perFrame, samples.Length - f * perFrame));
            var energy = 0.0;
            foreach (var s in window) energy += s * s;
            envelope[f] = Math.Sqrt(energy / Math.Max(1, window.Length));
        }
        var peak = Math.Max(envelope.Max(), 1e-6);

        var video = new byte[frames * Size * Size * 3];
        var jump = 0.0;
        var previous = 0.0;
        for (var f = 0; f < frames; f++)
        {
            var level = envelope[f] / peak;                   // 0..1
            jump = Math.Max(jump * 0.7, Math.Max(0, level - previous) * 2.0); // onsets kick, then decay
            previous = level;
            var radius = Size * (0.06 + 0.22 * Math.Sqrt(level));
            var cx = Size * (0.2 + 0.6 * f / Math.Max(1, frames - 1));
            var cy = Size * (0.85 - 0.7 * Math.Clamp(restHeight, 0, 1)) - Size * 0.15 * Math.Min(jump, 1);
            var brightness = 0.35 + 0.65 * level;
            Draw(video.AsSpan(f * Size * Size * 3, Size * Size * 3), shape, cx, cy, radius,
                ((byte)(colour.R * brightness), (byte)(colour.G * brightness), (byte)(colour.B * brightness)));
        }
        return video;
    }

    private void Draw(Span<byte> frame, Shape shape, double cx, double cy, double r, (byte R, byte G, byte B) c)
    {
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var dx = x + 0.5 - cx;
            var dy = y + 0.5 - cy;
            var inside = shape switch
            {
                Shape.Disc => dx * dx + dy * dy <= r * r,
                Shape.Square => Math.Abs(dx) <= r * 0.85 && Math.Abs(dy) <= r * 0.85,
                Shape.Diamond => Math.Abs(dx) + Math.Abs(dy) <= r * 1.2,
                Shape.Ring => dx * dx + dy * dy <= r * r && dx * dx + dy * dy >= r * r * 0.4,
                _ => (Math.Abs(dx) <= r * 0.3 && Math.Abs(dy) <= r) || (Math.Abs(dy) <= r * 0.3 && Math.Abs(dx) <= r),
            };
            var at = (y * Size + x) * 3;
            if (inside) { frame[at] = c.R; frame[at + 1] = c.G; frame[at + 2] = c.B; }
            else { frame[at] = 16; frame[at + 1] = 16; frame[at + 2] = 24; }
        }
    }
}
