namespace AvDsl.Runtime.IO;

/// <summary>
/// CRC-32 as PNG, zlib's gzip and Ethernet compute it (ISO 3309, ITU-T V.42): the reflected polynomial 0xEDB88320, the
/// register starting at and finally XORed with 0xFFFFFFFF. The check value of "123456789" is 0xCBF43926.
/// </summary>
public static class Crc32
{
    private const uint Polynomial = 0xEDB88320;

    private static readonly uint[] Table = BuildTable(Polynomial);

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>The CRC of the bytes <paramref name="crc"/> was computed over followed by <paramref name="data"/>
    /// (<c>Append(Compute(a), b) == Compute(a + b)</c>; the CRC of nothing is 0).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var register = ~crc;
        foreach (var b in data)
            register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        return ~register;
    }

    /// <summary>The byte-at-a-time table of a reflected CRC-32 with <paramref name="polynomial"/> (CRC-32C shares it).</summary>
    internal static uint[] BuildTable(uint polynomial)
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
