namespace AvDsl.Cli.Pictures;

/// <summary>An 8-bit colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public byte this[int channel] => channel switch
    {
        0 => R,
        1 => G,
        2 => B,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "a colour has channels 0 (red), 1 (green) and 2 (blue)"),
    };
}
