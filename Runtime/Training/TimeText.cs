using System.Globalization;

namespace AvDsl.Runtime.Training;

/// <summary>A span of time as a command line writes it: 30s, 10m, 2h (a positive amount and its unit).</summary>
public static class TimeText
{
    /// <summary>The time <paramref name="text"/> says, or null when it is not a positive amount of s, m or h.</summary>
    public static TimeSpan? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length < 2 || !double.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return null;
        return char.ToLowerInvariant(trimmed[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => null,
        };
    }
}
