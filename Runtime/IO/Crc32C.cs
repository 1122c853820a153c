namespace AvDsl.Runtime.IO;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of TFRecord files, iSCSI and ext4: the reflected polynomial 0x82F63B78, the
/// register starting at and finally XORed with 0xFFFFFFFF. The check value of "123456789" is 0xE3069283.
/// Not <see cref="Crc32"/> (IEEE, PNG's) nor System.IO.Hashing's Crc32, which is IEEE too.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;

    private static readonly uint[] Table = Crc32.BuildTable(Polynomial);

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var register = 0xFFFFFFFFu;
        foreach (var b in data)
            register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        return ~register;
    }

    /// <summary>
    /// The CRC as TFRecord stores it: rotated right by 15 bits plus a constant, because a CRC computed over data that
    /// itself holds CRCs is weak (LevelDB's and TensorFlow's reasoning).
    /// </summary>
    public static uint Mask(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);

    /// <summary>The masked CRC of <paramref name="data"/>.</summary>
    public static uint Masked(ReadOnlySpan<byte> data) => Mask(Compute(data));
}
