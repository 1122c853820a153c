using System.Diagnostics;
using System.Text.Json;
using AvDsl.Runtime.Data;

namespace AvDsl.DataBenchmarks;

/// <summary>
/// Our fbank against torchaudio's on the same WAV files (seeded speech-like signals: harmonic glides, noise
/// bursts, silence). Both sides time only the computation on audio already in memory, best of R passes, with
/// 1 thread and with 2 (C#: two clips at once; torch: 2 intra-op threads).
/// </summary>
public static class FbankBenchmark
{
    public static int Run(int clips, int seconds, int repeats)
    {
        var folder = Directory.CreateTempSubdirectory("avdsl-fbank-bench-").FullName;
        try
        {
            var random = new HostRandom(42);
            var waves = new List<float[]>();
            for (var c = 0; c < clips; c++)
            {
                var wave = Synthesize(random, seconds * 16000);
                WavFile.WritePcm16(Path.Combine(folder, $"clip{c:000}.wav"), wave, 16000);
                waves.Add(WavFile.Read(Path.Combine(folder, $"clip{c:000}.wav"), out _)); // the same quantised samples torch reads
            }
            var fbank = new KaldiFbank();
            fbank.Compute(waves[0], out _); // JIT warm-up

            Console.WriteLine($"fbank benchmark: {clips} clips x {seconds} s at 16 kHz, EAT settings, best of {repeats}");
            foreach (var threads in new[] { 1, 2 })
            {
                var best = double.MaxValue;
                long frames = 0;
                for (var r = 0; r < repeats; r++)
                {
                    var clock = Stopwatch.StartNew();
                    var counts = new int[waves.Count];
                    Parallel.For(0, waves.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => fbank.Compute(waves[i], out counts[i]));
                    best = Math.Min(best, clock.Elapsed.TotalSeconds);
                    frames = counts.Sum();
                }
                var torch = Torchaudio(folder, threads, repeats);
                var line = $"  {threads} thread(s): AvDsl {best * 1000:0.0} ms ({frames / best:0} frames/s)";
                if (torch is { } t)
                    line += $"; torchaudio {t.Seconds * 1000:0.0} ms ({t.Frames / t.Seconds:0} frames/s, torch {t.Version}); AvDsl is {t.Seconds / best:0.00}x faster";
                Console.WriteLine(line);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static float[] Synthesize(HostRandom random, int samples)
    {
        var wave = new float[samples];
        var t = 0;
        while (t < samples)
        {
            var length = Math.Min(samples - t, random.Next(1600, 12000));
            var kind = random.Next(0, 3);
            var f0 = random.Uniform(90, 300);
            var glide = random.Uniform(-0.3, 0.3);
            var amplitude = random.Uniform(0.05, 0.5);
            var phase = 0.0;
            for (var i = 0; i < length; i++)
            {
                var envelope = Math.Sin(Math.PI * i / length);
                double value = 0;
                if (kind == 0)
                {
                    phase += 2 * Math.PI * f0 * Math.Pow(2, glide * i / length) / 16000;
                    for (var h = 1; h <= 8; h++) value += Math.Sin(h * phase) / h;
                }
                else if (kind == 1) value = random.Normal() * 0.5;
                wave[t + i] = (float)(amplitude * envelope * value * 0.5);
            }
            t += length;
        }
        return wave;
    }

    private sealed record TorchTiming(double Seconds, long Frames, string Version);

    private static TorchTiming? Torchaudio(string folder, int threads, int repeats)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "bench_fbank_torchaudio.py");
        if (!File.Exists("/usr/bin/python3"))
        {
            Console.WriteLine("  (torchaudio side skipped: /usr/bin/python3 with python3-torchaudio is not installed)");
            return null;
        }
        var result = MediaTool.Run("/usr/bin/python3", [script, folder, threads.ToString(), repeats.ToString()], timeout: TimeSpan.FromMinutes(10));
        if (!result.Succeeded)
        {
            Console.WriteLine($"  (torchaudio side failed: {result.StderrTail()}; apt-get install python3-torchaudio)");
            return null;
        }
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        return new TorchTiming(root.GetProperty("seconds").GetDouble(), root.GetProperty("frames").GetInt64(),
            $"{root.GetProperty("torch").GetString()}/torchaudio {root.GetProperty("torchaudio").GetString()}, {root.GetProperty("threads").GetInt32()} threads");
    }
}
