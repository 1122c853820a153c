using System.Globalization;

namespace AvDsl.Runtime.Data;

/// <summary>The four words of a <see cref="HostRandom"/>; written as 64 hex digits so it fits a checkpoint's metadata.</summary>
public readonly record struct HostRandomState(ulong S0, ulong S1, ulong S2, ulong S3)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{S0:x16}{S1:x16}{S2:x16}{S3:x16}");

    /// <summary>Reads what <see cref="ToString"/> wrote; throws <see cref="FormatException"/> for anything else.</summary>
    public static HostRandomState Parse(string text)
    {
        if (text.Length != 64)
            throw new FormatException($"a host random state is 64 hex digits, got {text.Length} characters.");
        var words = new ulong[4];
        for (var i = 0; i < 4; i++)
            if (!ulong.TryParse(text.AsSpan(16 * i, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out words[i]))
                throw new FormatException($"a host random state is 64 hex digits, got '{text}'.");
        if (words.All(w => w == 0))
            throw new FormatException("a host random state cannot be all zeros (xoshiro256** would only ever return zero).");
        return new HostRandomState(words[0], words[1], words[2], words[3]);
    }
}
