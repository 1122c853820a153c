namespace AvDsl.Runtime.Data;

/// <summary>
/// Recognises a media container from its first bytes. A file that starts like a known container but cannot
/// be decoded (or decodes short) was cut off — truncated; one that starts like nothing known is corrupt.
/// </summary>
public static class ContainerSignature
{
    /// <summary>The container's name ("wav", "flac", "ogg", "mp4", "matroska", "mp3"), or null when unrecognised.</summary>
    public static string? Detect(string path)
    {
        Span<byte> head = stackalloc byte[12];
        int read;
        using (var stream = File.OpenRead(path))
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head.Slice(8, 4).SequenceEqual("WAVE"u8)) return "wav";
        if (head.Length >= 4 && head[..4].SequenceEqual("fLaC"u8)) return "flac";
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8)) return "ogg";
        if (head.Length >= 8 && head.Slice(4, 4).SequenceEqual("ftyp"u8)) return "mp4";
        if (head.Length >= 4 && head[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return "matroska";
        if (head.Length >= 3 && head[..3].SequenceEqual("ID3"u8)) return "mp3";
        return null;
    }

    /// <summary>For a WAV file, whether its 'data' chunk claims more bytes than the file holds.</summary>
    public static bool IsShortWav(string path)
    {
        var bytes = new byte[4096];
        long length;
        int read;
        using (var stream = File.OpenRead(path))
        {
            length = stream.Length;
            read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        }
        var offset = 12;
        while (offset + 8 <= read)
        {
            var size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4, 4));
            if (bytes.AsSpan(offset, 4).SequenceEqual("data"u8))
                // 0xFFFFFFFF (and 0) mean "unknown length" in streamed WAVs.
                return size != 0 && size != uint.MaxValue && offset + 8 + (long)size > length;
            offset += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - 16);
        }
        return false;
    }
}
