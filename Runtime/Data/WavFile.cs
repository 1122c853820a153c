using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NAudio.Wave;
using AvDsl.Runtime.IO;

namespace AvDsl.Runtime.Data;

/// <summary>
/// RIFF WAVE reading and writing, small on purpose: PCM 16-bit and IEEE float 32-bit, any channel count
/// (read returns the channels averaged to mono, as ffmpeg's downmix does for equal weights). Reading parses the
/// file with NAudio's WaveFileReader. Writing stays ours: NAudio's WaveFileWriter turns floats into int16 as
/// (short)(32767 · x), truncating, where ours rounds x · 32768 and clips, the inverse of the reader; and it closes
/// the stream it writes, which the atomic write still has to flush and rename.
/// </summary>
public static class WavFile
{
    /// <summary>Mono samples in [-1, 1] (int16 / 32768) and the sample rate.</summary>
    public static float[] Read(string path, out int sampleRate) => Read(path, out sampleRate, out _);

    /// <summary>Mono samples (channels averaged), the sample rate and the file's channel count.</summary>
    public static float[] Read(string path, out int sampleRate, out int channelCount)
    {
        if (!File.Exists(path))
            throw new InvalidMediaException(path, BadInputReason.Missing, $"{path}: no such file.");
        if (new FileInfo(path).Length == 0)
            throw new InvalidMediaException(path, BadInputReason.Empty, $"{path}: the file is empty.");

        // NAudio parses the RIFF chunks (fmt, WAVE_FORMAT_EXTENSIBLE's sub-format, where data starts and ends).
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(path);
        }
        catch (FormatException e) when (e.Message.Contains("data chunk", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: no WAVE 'data' chunk (the file may be cut short).", e);
        }
        catch (FormatException e)
        {
            throw new InvalidMediaException(path, BadInputReason.Corrupt, $"{path}: not a RIFF/WAVE file it can read ({e.Message}).", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidMediaException(path, BadInputReason.Truncated, $"{path}: the WAVE header is cut short.", e);
        }
        using (reader)
        {
            var format = reader.WaveFormat;
            var encoding = Encoding(format);
            sampleRate = format.SampleRate;
            channelCount = format.Channels;
            var isPcm16 = encoding == WaveFormatEncoding.Pcm && format.BitsPerSample == 16;
            if (!isPcm16 && !(encoding == WaveFormatEncoding.IeeeFloat && format.BitsPerSample == 32) || channelCount < 1)
                throw new InvalidMediaException(path, BadInputReason.Corrupt,
                    $"{path}: WAVE format {(int)encoding} with {format.BitsPerSample} bits is not supported here (PCM 16-bit or float 32-bit are); convert it with ffmpeg -c:a pcm_s16le, or decode it through ffmpeg.");
            // A data chunk that promises more than the file holds gives what is there.
            var data = new byte[reader.Length];
            var read = reader.Read(data.AsSpan());
            while (read < data.Length && reader.Read(data.AsSpan(read)) is var more and > 0)
                read += more;
            return Downmix(data.AsSpan(0, read - read % format.BlockAlign), isPcm16, channelCount);
        }
    }

    // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first two bytes, after cbSize's valid bits
    // (2 bytes) and channel mask (4). WaveFileReader hands such a header over as WaveFormatExtraData.
    private static WaveFormatEncoding Encoding(WaveFormat format) => format switch
    {
        { Encoding: not WaveFormatEncoding.Extensible } => format.Encoding,
        WaveFormatExtensible extensible => extensible.ToStandardWaveFormat().Encoding,
        WaveFormatExtraData { ExtraData.Length: >= 8 } extra => (WaveFormatEncoding)BinaryPrimitives.ReadUInt16LittleEndian(extra.ExtraData.AsSpan(6, 2)),
        _ => format.Encoding,
    };

    // Our own conversion rather than NAudio's sample providers: it is the exact arithmetic the AudioDecoder's test
    // holds against ffmpeg (int16 / 32768, channels summed in float then divided), on little-endian spans.
    private static float[] Downmix(ReadOnlySpan<byte> data, bool isPcm16, int channels)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("WavFile reads little-endian samples in place.");
        var frames = data.Length / ((isPcm16 ? 2 : 4) * channels);
        var result = new float[frames];
        if (isPcm16)
        {
            var samples = MemoryMarshal.Cast<byte, short>(data);
            for (var i = 0; i < frames; i++)
            {
                var sum = 0.0f;
                for (var c = 0; c < channels; c++) sum += samples[i * channels + c] / 32768f;
                result[i] = channels == 1 ? sum : sum / channels;
            }
        }
        else
        {
            var samples = MemoryMarshal.Cast<byte, float>(data);
            for (var i = 0; i < frames; i++)
            {
                var sum = 0.0f;
                for (var c = 0; c < channels; c++) sum += samples[i * channels + c];
                result[i] = channels == 1 ? sum : sum / channels;
            }
        }
        return result;
    }

    /// <summary>Writes mono PCM 16-bit (samples clipped to [-1, 1], rounded), through a temporary name.</summary>
    public static void WritePcm16(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        var data = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = Math.Clamp(MathF.Round(samples[i] * 32768f), short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)v);
        }
        Write(path, data, format: 1, bits: 16, sampleRate);
    }

    /// <summary>Writes mono IEEE float 32-bit, through a temporary name.</summary>
    public static void WriteFloat32(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        var data = new byte[samples.Length * 4];
        for (var i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), samples[i]);
        Write(path, data, format: 3, bits: 32, sampleRate);
    }

    private static void Write(string path, byte[] data, int format, int bits, int sampleRate)
    {
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + data.Length);
        "WAVE"u8.CopyTo(header.AsSpan(8));
        "fmt "u8.CopyTo(header.AsSpan(12));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), (ushort)format);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sampleRate * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), (ushort)(bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), (ushort)bits);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), data.Length);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(data);
        });
    }
}
