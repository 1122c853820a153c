using System.Buffers.Binary;
using AvDsl.Runtime.Data;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// The WAV reader the Runtime had before it read WAVs through NAudio (its RIFF walk and per-sample conversion,
/// verbatim): the "before" side of the decode benchmark.
/// </summary>
public static class HandWrittenWav
{
    /// <summary>Mono samples in [-1, 1] (int16 / 32768) and the sample rate.</summary>
    public static float[] Read(string path, out int sampleRate) => Read(path, out sampleRate, out _);

    /// <summary>Mono samples (channels averaged), the sample rate and the file's channel count.</summary>
    public static float[] Read(string path, out int sampleRate, out int channelCount)
    {
        if (!File.Exists(path))
            throw new InvalidMediaException(path, BadInputReason.Missing, $"{path}: no such file.");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
            throw new InvalidMediaException(path, BadInputReason.Empty, $"{path}: the file is empty.");
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: not a RIFF/WAVE file (the first bytes are not 'RIFF....WAVE').");

        int format = 0, channels = 0, bits = 0;
        sampleRate = 0;
        channelCount = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.AsSpan(offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4, 4));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length)
                    throw new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: the WAVE 'fmt ' chunk is cut short.");
                format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body, 2));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 2, 2));
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(body + 4, 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 14, 2));
                if (format == 0xFFFE && size >= 26) // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format's first two bytes
                    format = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(body + 24, 2));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels == 0)
                    throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: the WAVE 'data' chunk comes before any 'fmt ' chunk.");
                var available = Math.Min(size < 0 ? int.MaxValue : size, bytes.Length - body);
                channelCount = channels;
                return Decode(path, bytes.AsSpan(body, available), format, channels, bits);
            }
            offset = body + size + (size & 1);
            if (size < 0) break;
        }
        throw new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: no WAVE 'data' chunk (the file may be cut short).");
    }

    private static float[] Decode(string path, ReadOnlySpan<byte> data, int format, int channels, int bits)
    {
        int bytesPerSample;
        if (format == 1 && bits == 16) bytesPerSample = 2;
        else if (format == 3 && bits == 32) bytesPerSample = 4;
        else
            throw new InvalidMediaException(path, BadInputReason.Corrupt,
                $"{path}: WAVE format {format} with {bits} bits is not supported here (PCM 16-bit or float 32-bit are); convert it with ffmpeg -c:a pcm_s16le, or decode it through ffmpeg.");
        var frames = data.Length / (bytesPerSample * channels);
        var result = new float[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0.0f;
            for (var c = 0; c < channels; c++)
            {
                var at = (i * channels + c) * bytesPerSample;
                sum += bytesPerSample == 2
                    ? BinaryPrimitives.ReadInt16LittleEndian(data.Slice(at, 2)) / 32768f
                    : BinaryPrimitives.ReadSingleLittleEndian(data.Slice(at, 4));
            }
            result[i] = channels == 1 ? sum : sum / channels;
        }
        return result;
    }
}
