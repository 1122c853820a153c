using AvDsl.Runtime.Data;

namespace AvDsl.EndToEnd.Tests;

public static class ToneCorpus
{
    /// <summary>A corpus with one task, "tones": 1 s sine tones at 300 Hz (low) and 3 kHz (high), and one corrupt file.</summary>
    public static string Create(TempFolder temp)
    {
        var corpus = Path.Combine(temp.Path, "corpus");
        var folder = Path.Combine(corpus, "tones");
        Directory.CreateDirectory(folder);
        var rows = new List<(string, string, string)>();
        for (var i = 0; i < 12; i++)
        {
            var label = i % 2 == 0 ? "low" : "high";
            var frequency = (label == "low" ? 300.0 : 3000.0) * (1 + 0.02 * i);
            var samples = Enumerable.Range(0, 16000).Select(t => (float)(0.3 * Math.Sin(2 * Math.PI * frequency * t / 16000))).ToArray();
            var name = $"tone{i}.wav";
            WavFile.WritePcm16(Path.Combine(folder, name), samples, 16000);
            rows.Add((name, label, i < 8 ? "train" : "test"));
        }
        File.WriteAllBytes(Path.Combine(folder, "broken.wav"), [.. "RIFF"u8, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        rows.Add(("broken.wav", "low", "train"));
        Manifest.WriteCsv(Path.Combine(folder, "manifest.csv"), rows);
        return corpus;
    }

    /// <summary>Sixteen one-second tones of rising pitch, labels a, b, c, d in turn, the first eight "train" and the rest "test":
    /// the clips of small sequences of tasks. Returns the manifest's path.</summary>
    public static string ForTasks(TempFolder temp)
    {
        var rows = new List<(string, string, string)>();
        var labels = new[] { "a", "b", "c", "d" };
        for (var i = 0; i < 16; i++)
        {
            var wave = Enumerable.Range(0, 16000).Select(t => 0.3f * MathF.Sin(2 * MathF.PI * (180 + 90 * i) * t / 16000f)).ToArray();
            WavFile.WritePcm16(Path.Combine(temp.Path, $"tone{i}.wav"), wave, 16000);
            rows.Add(($"tone{i}.wav", labels[i % 4], i < 8 ? "train" : "test"));
        }
        var manifest = Path.Combine(temp.Path, "manifest.csv");
        Manifest.WriteCsv(manifest, rows);
        return manifest;
    }
}
