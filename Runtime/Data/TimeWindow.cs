namespace AvDsl.Runtime.Data;

/// <summary>A part of a longer file in seconds: from <see cref="Start"/> to <see cref="End"/> (to the end of the file when null).</summary>
public sealed record TimeWindow(double Start, double? End)
{
    public static TimeWindow Whole { get; } = new(0, null);

    public double? Duration => End - Start;

    /// <summary>ffmpeg input options selecting the window (before -i: seeks by decoding, exact for audio).</summary>
    public IEnumerable<string> InputArguments()
    {
        if (Start > 0) { yield return "-ss"; yield return Start.ToString("R", System.Globalization.CultureInfo.InvariantCulture); }
        if (Duration is { } d) { yield return "-t"; yield return d.ToString("R", System.Globalization.CultureInfo.InvariantCulture); }
    }

    public string Key => FormattableString.Invariant($"{Start:R}-{(End is { } e ? e.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "end")}");
}
