using AvDsl.Runtime.Data;

namespace AvDsl.Data.Tests;

public sealed class FileFormatTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("avdsl-files-").FullName;

    [Fact]
    public void Npy_round_trips_float32_with_shape_and_aligned_header()
    {
        var path = Path.Combine(_folder, "x.npy");
        var data = Enumerable.Range(0, 24).Select(i => i * 0.5f - 3f).ToArray();
        NpyFile.Write(path, data, 2, 3, 4);
        var back = NpyFile.Read(path, out var shape);
        Assert.Equal([2, 3, 4], shape);
        Assert.Equal(data, back);
        Assert.Equal(0, (new FileInfo(path).Length - 24 * 4) % 64); // data starts on a 64-byte boundary
    }

    [Fact]
    public void Npy_reads_numpy_float64_goldens_are_float32()
    {
        // The goldens were written by numpy; they read with the expected header.
        var data = NpyFile.Read(Goldens.Path("silence.fbank.npy"), out var shape);
        Assert.Equal([98, 128], shape);
        Assert.All(data, v => Assert.Equal(-15.942385f, v, 5));
    }

    [Fact]
    public void Npy_refuses_a_cut_file_and_a_wrong_shape()
    {
        var path = Path.Combine(_folder, "cut.npy");
        NpyFile.Write(path, new float[100], 10, 10);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);
        var error = Assert.Throws<InvalidMediaException>(() => NpyFile.Read(path, out _));
        Assert.Equal(BadInputReason.Truncated, error.Reason);
        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, new float[5], 2, 3));
    }

    [Fact]
    public void Wav_round_trips_pcm16_and_float32()
    {
        var samples = new[] { 0f, 0.5f, -0.5f, 1f, -1f, 0.25f };
        var pcm = Path.Combine(_folder, "a.wav");
        WavFile.WritePcm16(pcm, samples, 16000);
        var back = WavFile.Read(pcm, out var rate);
        Assert.Equal(16000, rate);
        Assert.Equal([0f, 0.5f, -0.5f, 32767 / 32768f, -1f, 0.25f], back);
        var floats = Path.Combine(_folder, "f.wav");
        WavFile.WriteFloat32(floats, samples, 8000);
        Assert.Equal(samples, WavFile.Read(floats, out var rate2));
        Assert.Equal(8000, rate2);
    }

    [Fact]
    public void Wav_averages_channels_reads_the_extensible_header_and_keeps_what_a_cut_data_chunk_holds()
    {
        // Stereo int16 frames (L, R): (16384, -8192) and (-32768, 32767) → ((L + R) / 32768) / 2.
        short[] frames = [16384, -8192, -32768, 32767];
        var pcm = frames.SelectMany(v => BitConverter.GetBytes(v)).ToArray();
        float[] mono = [(16384 / 32768f + -8192 / 32768f) / 2, (-32768 / 32768f + 32767 / 32768f) / 2];

        var plain = Path.Combine(_folder, "stereo.wav");
        File.WriteAllBytes(plain, Riff(Fmt(format: 1, extensible: false), pcm, pcm.Length));
        Assert.Equal(mono, WavFile.Read(plain, out var rate, out var channels));
        Assert.Equal((22050, 2), (rate, channels));

        var extensible = Path.Combine(_folder, "extensible.wav");
        File.WriteAllBytes(extensible, Riff(Fmt(format: 0xFFFE, extensible: true), pcm, pcm.Length));
        Assert.Equal(mono, WavFile.Read(extensible, out _, out _));

        // The data chunk promises 8 frames but the file holds 2: the 2 are read.
        var cut = Path.Combine(_folder, "cut.wav");
        File.WriteAllBytes(cut, Riff(Fmt(format: 1, extensible: false), pcm, 4 * pcm.Length));
        Assert.Equal(mono, WavFile.Read(cut, out _, out _));

        static byte[] Fmt(int format, bool extensible)
        {
            var body = new List<byte>();
            body.AddRange(BitConverter.GetBytes((ushort)format));
            body.AddRange(BitConverter.GetBytes((ushort)2));        // channels
            body.AddRange(BitConverter.GetBytes(22050));            // sample rate
            body.AddRange(BitConverter.GetBytes(22050 * 4));        // byte rate
            body.AddRange(BitConverter.GetBytes((ushort)4));        // block align
            body.AddRange(BitConverter.GetBytes((ushort)16));       // bits
            if (extensible)
            {
                body.AddRange(BitConverter.GetBytes((ushort)22));   // cbSize
                body.AddRange(BitConverter.GetBytes((ushort)16));   // valid bits
                body.AddRange(BitConverter.GetBytes(3));            // channel mask: front left | front right
                body.AddRange(new Guid("00000001-0000-0010-8000-00aa00389b71").ToByteArray()); // KSDATAFORMAT_SUBTYPE_PCM
            }
            return [.. "fmt "u8.ToArray(), .. BitConverter.GetBytes(body.Count), .. body];
        }

        static byte[] Riff(byte[] fmt, byte[] data, int declaredDataBytes)
        {
            byte[] chunks = [.. fmt, .. "data"u8.ToArray(), .. BitConverter.GetBytes(declaredDataBytes), .. data];
            return [.. "RIFF"u8.ToArray(), .. BitConverter.GetBytes(4 + chunks.Length), .. "WAVE"u8.ToArray(), .. chunks];
        }
    }

    [Fact]
    public void Wav_refuses_what_it_cannot_read()
    {
        var path = Path.Combine(_folder, "bad.wav");
        File.WriteAllText(path, "not a wave file at all");
        Assert.Equal(BadInputReason.Corrupt, Assert.Throws<InvalidMediaException>(() => WavFile.Read(path, out _)).Reason);
        Assert.Equal(BadInputReason.Missing, Assert.Throws<InvalidMediaException>(() => WavFile.Read(path + ".nope", out _)).Reason);
    }

    [Fact]
    public void Fft_power_matches_a_direct_DFT()
    {
        var random = new Random(3);
        var frame = Enumerable.Range(0, 64).Select(_ => random.NextDouble() - 0.5).ToArray();
        var power = new double[33];
        new RealFft(64).PowerSpectrum(frame, power);
        for (var k = 0; k <= 32; k++)
        {
            double re = 0, im = 0;
            for (var n = 0; n < 64; n++)
            {
                re += frame[n] * Math.Cos(2 * Math.PI * k * n / 64);
                im -= frame[n] * Math.Sin(2 * Math.PI * k * n / 64);
            }
            Assert.Equal(re * re + im * im, power[k], 9);
        }
    }

    [Fact]
    public void Normalisation_pads_with_zeros_before_scaling()
    {
        var features = new float[] { 1, 2, 3, 4 }; // 2 frames x 2 mel
        var prepared = FbankNormalization.Prepare(features, 2, 3, mean: 1, std: 0.5);
        Assert.Equal([0f, 1f, 2f, 3f, -1f, -1f], prepared);
        Assert.Equal([1f, 2f], FbankNormalization.PadOrCrop(features, 2, 1));
        Assert.Throws<ArgumentException>(() => FbankNormalization.PadOrCrop(new float[3], 2, 1));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
