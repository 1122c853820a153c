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
